/**
 * The operator of `npm start` and of the CLI reads warnings and errors in Vietnamese (not
 * "aggregates repaired from source submissions" in the middle of a Vietnamese log). Every warning or
 * error message written in functions/ and scripts/ must have a Vietnamese line; a new English
 * one without it fails here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operatorLine, operatorMessage } from '../../scripts/local-stack/log-vi.js';

/** `log.warn('…')`, `deps.log.error(`…`)` and the like, as written in the sources. */
function warningAndErrorMessages(): { file: string; message: string }[] {
  const files = execFileSync('git', ['ls-files', 'functions/*.ts', 'scripts/*.ts'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  const call = /\b(?:log|logger)\??\.(?:warn|error)\(\s*(['`])((?:\\.|(?!\1)[\s\S])*?)\1/g;
  const out: { file: string; message: string }[] = [];
  for (const file of files)
    for (const found of readFileSync(file, 'utf8').matchAll(call)) out.push({ file, message: found[2]! });
  return out;
}

/** A template's placeholders filled with a function name, as the running code would. */
const filled = (message: string) => message.replace(/\$\{[^}]+\}/g, 'processUnitSheet');
/** A Vietnamese line uses letters English does not. */
const vietnamese = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýÁÀẢÃẠĂÂĐÊÔƠƯ]/i;

describe('warnings and errors in Vietnamese', () => {
  const messages = warningAndErrorMessages();

  it('the scan finds the log calls (a scan finding nothing would pass anything)', () => {
    expect(messages.length).toBeGreaterThan(20);
    expect(messages.map((m) => m.message)).toContain('aggregates repaired from source submissions');
  });

  it('every warning or error message in functions/ and scripts/ has a Vietnamese line', () => {
    const untranslated = messages.filter((m) => !vietnamese.test(operatorMessage(filled(m.message))));
    expect(untranslated).toEqual([]);
  });

  it('the line printed: severity and message in Vietnamese; info is not printed', () => {
    const line = (severity: string, message: string) => JSON.stringify({ severity, message, roundId: 'r' });
    expect(operatorLine(line('WARNING', 'aggregates repaired from source submissions'))).toBe(
      '[lưu ý] Đã tính lại số tổng hợp từ báo cáo gốc của các đơn vị (số cũ bị lệch).',
    );
    expect(operatorLine(line('ERROR', 'onSubmissionWritten failed; the event will be retried'))).toBe(
      '[lỗi] onSubmissionWritten bị lỗi; sự kiện sẽ được gửi lại.',
    );
    expect(operatorLine(line('INFO', 'compliance sweep done'))).toBeNull();
    // Firestore's own warnings come as text with a reason appended.
    expect(operatorMessage('Firestore export failed: EACCES')).toBe(
      'Không xuất được dữ liệu Firestore ra thư mục trạng thái: EACCES',
    );
  });
});
