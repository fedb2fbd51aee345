/** `reset`: clears the local state directory (emulated sheets, Firestore, mail, secrets). */
import { rm } from 'node:fs/promises';
import { findRunningStack } from '../local-stack/stack.js';
import { UsageError, type Command } from './io.js';
import { stateDirOf } from './session.js';

export const resetCommand: Command = async (_args, io) => {
  const dir = stateDirOf(io);
  if (await findRunningStack(dir))
    throw new UsageError(
      'Hệ thống cục bộ (npm start) đang chạy trên thư mục trạng thái này; hãy dừng nó (Ctrl-C) trước khi xóa.',
    );
  await rm(dir, { recursive: true, force: true });
  io.stdout(`Đã xóa trạng thái cục bộ: ${dir}\n`);
  return 0;
};
