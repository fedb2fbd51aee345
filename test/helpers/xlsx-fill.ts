/** Typing a submission into a template .xlsx with exceljs directly, as a person in Excel would. */
import type { Workbook } from 'exceljs';
import { readXlsxGrid } from '../../functions/layout/xlsx.js';
import { submissionWrites, type Submission } from './fill-workbook.js';
import type { Typed } from './grid-edit.js';

type ExcelModule = typeof import('exceljs');

export async function exceljs(): Promise<ExcelModule> {
  const mod = await import('exceljs');
  return ((mod as { default?: ExcelModule }).default ?? mod) as ExcelModule;
}

export async function loadWorkbook(buffer: Buffer): Promise<Workbook> {
  const ExcelJS = await exceljs();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as Parameters<Workbook['xlsx']['load']>[0]);
  return workbook;
}

function excelValue(value: Typed) {
  if (value === null || typeof value !== 'object') return value;
  if ('date' in value) return new Date(`${value.date}T00:00:00Z`);
  return { error: value.error } as never;
}

/** Locates every cell by the template's hidden codes, then writes the values with exceljs. */
export async function fillXlsx(
  template: Buffer,
  submission: Submission,
  after?: (wb: Workbook) => void,
): Promise<Buffer> {
  const grid = await readXlsxGrid(template);
  const writes = submissionWrites(grid, submission);
  const workbook = await loadWorkbook(template);
  for (const { ref, value } of writes) {
    const worksheet = workbook.getWorksheet(ref.sheet.title);
    if (!worksheet) throw new Error(`no worksheet ${ref.sheet.title}`);
    worksheet.getCell(ref.row + 1, ref.col + 1).value = excelValue(value);
  }
  after?.(workbook);
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.isBuffer(out) ? out : Buffer.from(out);
}
