/**
 * Consolidation by group: the city's headline figure is the districts'
 * subtotal only; the sectors' figures appear in their own subtotal, beside it and never added
 * in; units that file no figures have no row; no tab adds rounds together.
 */
import { describe, expect, it } from 'vitest';
import { computeAllNodes, totalsFromSubmission, type NodeTotals } from '../../functions/core/aggregate.js';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { buildMasterView, masterJson, type ViewSubmission } from '../../functions/core/master-view.js';
import { buildMasterWorkbook } from '../../functions/layout/master-workbook.js';
import type { SheetModel } from '../../functions/layout/model.js';
import { model, modifiedModel } from '../helpers/campaign.js';

const ROUND = 'bo-sung-2020';
const CODE = 'tuyen_truyen.dai_chung';
const NOW = Date.UTC(2020, 8, 20);

function submission(unitId: string, value: number): ViewSubmission {
  return {
    unitId,
    contentHash: unitId,
    versionCount: 1,
    acceptedAt: NOW,
    firstAcceptedAt: NOW,
    late: false,
    totals: { bang1: { [CODE]: value } },
    nominations: [],
    confirmation: {},
  };
}

function viewOf(model: CampaignModel, subs: ViewSubmission[]) {
  const nodes = computeAllNodes(model, new Map(subs.map((s) => [s.unitId, totalsFromSubmission(s.totals)])));
  return buildMasterView(model, {
    now: NOW,
    shortlist: new Set(),
    rounds: [
      {
        roundId: ROUND,
        submissions: subs,
        states: [],
        nodes: Object.fromEntries(
          [...nodes].map(([id, n]) => [id, { totals: n.totals, contributors: n.contributors }]),
        ),
        sheetUrls: {},
        flags: [],
      },
    ],
  });
}

const value = (t: NodeTotals | undefined) => t?.['bang1']?.[CODE];

/** The value in the indicator's column on the row whose label cell starts with `label`. */
function rowValue(sheet: SheetModel, label: string): unknown {
  const labelCell = sheet.cells.find((c) => c.col === 1 && typeof c.value === 'string' && c.value.startsWith(label));
  if (!labelCell) return undefined;
  const col = 2 + model.figuresTable('bang1').indicators.findIndex((i) => i.code === CODE);
  return sheet.cells.find((c) => c.row === labelCell.row && c.col === col)?.value ?? null;
}

describe('the headline is the districts only', () => {
  const subs = [submission('ubnd-ba-dinh', 10), submission('ubnd-hoan-kiem', 20), submission('thanh-doan', 500)];
  const view = viewOf(model, subs);
  const round = view.rounds[0]!;

  it('headline = sum of the districts; the sector in its own subtotal', () => {
    expect(value(round.totals)).toBe(30);
    expect(round.contributors).toBe(2);
    expect(round.groups.map((g) => [g.id, g.headline, value(g.subtotal), g.contributors])).toEqual([
      ['districts', true, 30, 2],
      ['sectors', false, 500, 1],
    ]);
  });

  it('master --json: totals is the headline, groupTotals per group, byUnit as before', () => {
    const json = masterJson(view).rounds[ROUND]!;
    expect(value(json.totals)).toBe(30);
    expect(value(json.groupTotals['districts'])).toBe(30);
    expect(value(json.groupTotals['sectors'])).toBe(500);
    expect(Object.fromEntries(Object.entries(json.byUnit).map(([u, t]) => [u, value(t)]))).toEqual({
      'ubnd-ba-dinh': 10,
      'ubnd-hoan-kiem': 20,
      'thanh-doan': 500,
    });
  });

  it('the consolidated Bảng 1 tab: headline row, districts subtotal, sectors subtotal apart; no row for units without figures', () => {
    const workbookModel = buildMasterWorkbook(model, view, NOW);
    const sheet = workbookModel.sheets.find((s) => s.title === 'Bảng 1 – Báo cáo bổ sung')!;
    expect(rowValue(sheet, 'Tổng cộng (2 đơn vị đã gửi): số liệu chung')).toBe(30);
    expect(rowValue(sheet, 'Cộng quận, huyện, thị xã (2 đơn vị đã gửi)')).toBe(30);
    expect(
      rowValue(sheet, 'Cộng sở, ban, ngành, đoàn thể (1 đơn vị đã gửi) – ghi riêng, không cộng vào tổng chung'),
    ).toBe(500);
    expect(rowValue(sheet, model.unit('thanh-doan').name)).toBe(500);
    const labels = sheet.cells.filter((c) => c.col === 1 && typeof c.value === 'string').map((c) => c.value as string);
    const unitRows = model.campaign.units.filter((u) => labels.includes(u.name)).map((u) => u.kind);
    expect(unitRows.filter((k) => k === 'district')).toHaveLength(30);
    expect(unitRows.filter((k) => k === 'sector')).toHaveLength(10);
    expect(unitRows.every((k) => k === 'district' || k === 'sector')).toBe(true);
    expect(labels.some((l) => l.startsWith(model.unit('catp').name))).toBe(false);
  });

  it('no tab adds the rounds together', () => {
    const twoRounds = buildMasterView(model, {
      now: NOW,
      shortlist: new Set(),
      rounds: model.campaign.rounds.map((r) => ({
        roundId: r.id,
        submissions: [],
        states: [],
        nodes: {},
        sheetUrls: {},
        flags: [],
      })),
    });
    const titles = buildMasterWorkbook(model, twoRounds, NOW).sheets.map((s) => s.title);
    expect(titles.some((t) => /hai đợt/i.test(t))).toBe(false);
  });
});

describe('communes under their district are not counted twice', () => {
  const withCommune = (districtKinds: string[], communesGroup: boolean) =>
    modifiedModel((raw) => {
      raw.units.push({
        id: 'phuong-phuc-xa',
        name: 'UBND phường Phúc Xá',
        kind: 'commune',
        parent: 'ubnd-ba-dinh',
        emails: ['phucxa@example.vn'],
      });
      raw.unitKinds.find((k: { id: string }) => k.id === 'commune').tables.hoat_dong = 'required';
      raw.consolidation.groups[0].kinds = districtKinds;
      if (communesGroup)
        raw.consolidation.groups.push({
          id: 'communes',
          label: 'Xã, phường, thị trấn',
          subtotalLabel: 'Cộng xã, phường, thị trấn',
          kinds: ['commune'],
          headline: false,
        });
    });
  const subs = [
    submission('ubnd-ba-dinh', 10),
    submission('phuong-phuc-xa', 7),
    submission('ubnd-hoan-kiem', 20),
    submission('thanh-doan', 500),
  ];

  it('a communes group of its own: the district row holds its communes, the headline adds districts only', () => {
    const round = viewOf(withCommune(['district'], true), subs).rounds[0]!;
    expect(value(round.totals)).toBe(37);
    expect(round.groups.map((g) => [g.id, value(g.subtotal)])).toEqual([
      ['districts', 37],
      ['sectors', 500],
      ['communes', 7],
    ]);
    expect(value(round.groups[0]!.rows.find((r) => r.unitId === 'ubnd-ba-dinh')!.totals)).toBe(17);
  });

  it('communes in the districts group: still counted once (a unit under another of the same group is in its totals)', () => {
    const round = viewOf(withCommune(['district', 'commune'], false), subs).rounds[0]!;
    expect(value(round.totals)).toBe(37);
    expect(round.contributors).toBe(3);
    expect(round.groups[0]!.rows.map((r) => r.unitId)).toContain('phuong-phuc-xa');
  });
});

describe('the campaign file declares the groups', () => {
  it('a kind in two groups, or no headline group, is refused at load', () => {
    expect(() => modifiedModel((raw) => raw.consolidation.groups[1].kinds.push('district'))).toThrow(
      'loại đơn vị "district" đã thuộc nhóm khác',
    );
    expect(() => modifiedModel((raw) => (raw.consolidation.groups[0].headline = false))).toThrow(
      'cần ít nhất một nhóm tính vào số liệu chung',
    );
  });
});
