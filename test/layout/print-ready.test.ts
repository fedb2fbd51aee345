/**
 * Every workbook the system produces or serves prints on A4 landscape, one
 * page wide, with its header rows (and frozen label columns) on every page, only its table in
 * the print area, Vietnamese number formats, and checkboxes as ☑/☐ — never TRUE/FALSE.
 * Checked on the files themselves, read back with exceljs (see print-checks.ts).
 */
import { describe, expect, it } from 'vitest';
import { buildMasterWorkbook } from '../../functions/layout/master-workbook.js';
import type { WorkbookModel } from '../../functions/layout/model.js';
import { toSpreadsheetCreateBody } from '../../functions/layout/sheets-render.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { CHECKBOX_OFF, CHECKBOX_ON, readXlsxGrid, renderXlsx } from '../../functions/layout/xlsx.js';
import { cellAt } from '../../functions/core/grid.js';
import { model } from '../helpers/campaign.js';
import { FUNCTIONS, clientsFor, createSpreadsheet, startEmulator } from '../emulators/sheets/helpers.js';
import { loadXlsx, workbookPrintProblems } from './print-checks.js';
import { NOW, sampleView } from './report-fixtures.js';

/** One unit of each kind that has a workbook, per round. */
function unitTemplates(): [string, () => WorkbookModel][] {
  const out: [string, () => WorkbookModel][] = [];
  for (const round of model.campaign.rounds) {
    const seen = new Set<string>();
    for (const unit of model.campaign.units) {
      if (seen.has(unit.kind) || !model.hasWorkbook(unit.id, round.id)) continue;
      seen.add(unit.kind);
      out.push([`${unit.id} × ${round.id}`, () => buildUnitWorkbook(model, unit.id, round.id)]);
    }
  }
  return out;
}

describe('unit templates', () => {
  it.each(unitTemplates())('%s prints well', async (_name, build) => {
    const modelWb = build();
    const workbook = await loadXlsx(await renderXlsx(modelWb));
    expect(workbookPrintProblems(workbook)).toEqual([]);
    // The print area stops at the table: the spare rows and columns a sheet keeps for typing do not print.
    for (const sheet of modelWb.sheets) {
      const area = workbook.getWorksheet(sheet.title)!.pageSetup.printArea!;
      const [, lastCol, lastRow] = /^A1:([A-Z]+)(\d+)$/.exec(area)!;
      expect(Number(lastRow), `${sheet.title} ${area}`).toBeLessThan(sheet.rowCount);
      expect(lastCol!.length === 1 ? lastCol!.charCodeAt(0) - 64 : 27, `${sheet.title} ${area}`).toBeLessThan(
        sheet.colCount,
      );
    }
  });

  it('a checkbox is ☐ on paper, and a ticked one read back from the file is a ticked checkbox', async () => {
    const unitId = model.campaign.units.find((u) => model.hasWorkbook(u.id, model.campaign.rounds[0]!.id))!.id;
    const modelWb = buildUnitWorkbook(model, unitId, model.campaign.rounds[0]!.id);
    const boxes = modelWb.sheets.flatMap((s) =>
      s.cells.filter((c) => c.validation?.kind === 'checkbox').map((c) => ({ sheet: s.title, c })),
    );
    expect(boxes.length).toBeGreaterThan(0);
    const workbook = await loadXlsx(await renderXlsx(modelWb));
    for (const { sheet, c: cellModel } of boxes) {
      const cell = workbook.getWorksheet(sheet)!.getCell(cellModel.row + 1, cellModel.col + 1);
      expect(cell.value, `${sheet} ${cell.address}`).toBe(CHECKBOX_OFF);
      expect(cell.dataValidation).toMatchObject({ type: 'list', formulae: [`"${CHECKBOX_OFF},${CHECKBOX_ON}"`] });
    }
    // A clerk ticks one in Excel by picking ☑ from the list: the grid reads a boolean, as from Sheets.
    const first = boxes[0]!;
    workbook.getWorksheet(first.sheet)!.getCell(first.c.row + 1, first.c.col + 1).value = CHECKBOX_ON;
    const grid = await readXlsxGrid(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(
      cellAt(
        grid.sheets.find((s) => s.title === first.sheet)!,
        first.c.row,
        first.c.col,
      ),
    ).toEqual({ v: true, text: 'TRUE' });
  });

  it('number cells carry the Vietnamese number format (1.234.567,25), text cells stay text', async () => {
    const round = model.campaign.rounds[0]!.id;
    const unitId = model.campaign.units.find(
      (u) => model.hasWorkbook(u.id, round) && model.tablesFor(u.id, round).some((t) => t.table.kind === 'figures'),
    )!.id;
    const modelWb = buildUnitWorkbook(model, unitId, round);
    const workbook = await loadXlsx(await renderXlsx(modelWb));
    let numeric = 0;
    for (const sheet of modelWb.sheets) {
      for (const cell of sheet.cells.filter((x) => x.style?.numberFormat)) {
        const numFmt = workbook.getWorksheet(sheet.title)!.getCell(cell.row + 1, cell.col + 1).numFmt;
        if (cell.style!.numberFormat === '@') expect(numFmt).toBe('@');
        else {
          numeric++;
          expect(numFmt, `${sheet.title} ${cell.row},${cell.col}`).toMatch(/^\[\$-42A\][#0,.]+$/);
        }
      }
    }
    expect(numeric).toBeGreaterThan(0);
  });
});

describe('master --xlsx', () => {
  it('every tab prints well, the shortlist ticks print as ☑/☐', async () => {
    const { view } = sampleView(model);
    const modelWb = buildMasterWorkbook(model, view, NOW);
    expect(modelWb.sheets.flatMap((s) => s.cells).some((c) => typeof c.value === 'boolean')).toBe(true);
    const workbook = await loadXlsx(await renderXlsx(modelWb));
    expect(workbookPrintProblems(workbook)).toEqual([]);
    const printed = workbook.worksheets.flatMap((worksheet) => {
      const values: unknown[] = [];
      worksheet.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
      return values;
    });
    expect(printed).toContain(CHECKBOX_ON);
  });
});

describe("the emulator's download of a sheet", () => {
  it("prints like the system's own files: print titles from the frozen panes", async () => {
    const emulator = await startEmulator({ quotas: { enabled: false } });
    try {
      const { view } = sampleView(model);
      const master = buildMasterWorkbook(model, view, NOW);
      const created = await createSpreadsheet(clientsFor(emulator, FUNCTIONS), toSpreadsheetCreateBody(master));
      const response = await fetch(`${emulator.url}emulator/spreadsheets/${created.spreadsheetId}.xlsx`);
      expect(response.status).toBe(200);
      const workbook = await loadXlsx(Buffer.from(await response.arrayBuffer()));
      expect(workbook.worksheets.map((w) => w.name)).toEqual(master.sheets.map((s) => s.title));
      expect(workbookPrintProblems(workbook)).toEqual([]);
      const frozen = master.sheets.filter((s) => s.frozenRows && s.frozenCols);
      expect(frozen.length).toBeGreaterThan(0);
      for (const sheetModel of frozen) {
        const setup = workbook.getWorksheet(sheetModel.title)!.pageSetup;
        expect(setup.printTitlesRow, sheetModel.title).toBe(`1:${sheetModel.frozenRows}`);
        expect(setup.printTitlesColumn, sheetModel.title).toBe(
          sheetModel.frozenCols === 1 ? 'A:A' : `A:${String.fromCharCode(64 + sheetModel.frozenCols!)}`,
        );
      }
    } finally {
      await emulator.stop();
    }
  });
});
