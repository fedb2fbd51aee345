/**
 * The shape of a campaign file. A campaign (tables, indicator codes, rules, units, rounds,
 * quotas, eligibility) is data; this zod schema is what makes a broken file fail at load,
 * naming the offending path, instead of failing later inside a handler.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'mã chỉ gồm chữ thường không dấu, số, dấu chấm, gạch nối');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày dạng YYYY-MM-DD');
const isoInstant = z
  .string()
  .refine(
    (s) => /T.*(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
    'thời điểm ISO có múi giờ, ví dụ 2020-07-22T00:00:00+07:00',
  );
const severity = z.enum(['error', 'warning']);
const tableRequirement = z.enum(['required', 'optional']);
const nomineeScope = z.enum(['cand', 'outside']);
const nomineeType = z.enum(['collective', 'individual']);

export const periodSchema = z.object({
  id,
  label: z.string().min(1),
  from: isoDate,
  to: isoDate,
});

export const deadlineReadingSchema = z.enum(['before-date', 'by-date']);

export const roundSchema = z.object({
  id,
  name: z.string().min(1),
  description: z.string().min(1),
  dataWindow: z.object({ from: isoDate, to: isoDate }),
  periods: z.array(id).min(1),
  /** The date written in the plan ("gửi trước ngày 15/7/2020"); how it is read is `deadlineReading`. */
  dueDate: isoDate,
  deadlineReading: deadlineReadingSchema.optional(),
  lockAt: isoInstant,
  tables: z.array(id).min(1),
});

export const unitKindSchema = z.object({
  id,
  name: z.string().min(1),
  /** Tables this kind of unit submits (intersected with a round's tables). Empty for hierarchy-only nodes. */
  tables: z.record(id, tableRequirement),
  /** Which nominees the unit may propose: inside CAND, outside, both, or none. */
  nominates: z.array(nomineeScope),
});

export const unitSchema = z.object({
  id,
  name: z.string().min(1),
  kind: id,
  parent: id.nullable(),
  emails: z.array(z.email()),
  /**
   * The place a unit belongs to when several nominating units share one ("ba-dinh" for both
   * UBND quận Ba Đình and Công an quận Ba Đình): the plan's "tối đa 01" Bằng khen Bộ Công an
   * per locality is checked across the units of one locality.
   */
  locality: id.optional(),
});

const headerPath = z.array(z.string().min(1)).min(1).max(4);

export const indicatorSchema = z.object({
  code: z.string().regex(/^[a-z_]+(\.[a-z_]+)+$/, 'mã chỉ tiêu dạng nhom.chi_tieu'),
  group: z.string().min(1),
  /** Column header levels from the top band down to the leaf header, as in the official table. */
  header: headerPath,
  unit: z.string().min(1),
  type: z.enum(['integer', 'decimal']),
  aggregate: z.enum(['flow', 'stock']),
  width: z.number().int().positive().optional(),
  /**
   * Set when this column's heading, grouping or unit is our reading rather than legible in the
   * source plan (its table reached us with scrambled headers): says why, so the file itself tells
   * coordinators what to confirm against the signed plan. Documentation only; nothing computes on it.
   */
  reconstructed: z.string().min(1).optional(),
});

export const figuresTableSchema = z.object({
  kind: z.literal('figures'),
  id,
  sheetTitle: z.string().min(1).max(31, 'tên trang tối đa 31 ký tự (giới hạn của Excel)'),
  label: z.string().min(1),
  caption: z.string().min(1),
  subtitle: z.string().min(1),
  indicators: z.array(indicatorSchema).min(1),
  footnotes: z.array(z.string()).default([]),
  /**
   * What of this table's layout is reconstructed (group headings, sub-columns, units the source does
   * not show legibly). Printed under the table in the unit workbook, after the footnotes, and in the
   * master's guide tab, so coordinators confirm the layout against the signed plan before provisioning.
   */
  layoutNotes: z.array(z.string().min(1)).default([]),
});

export const checklistItemSchema = z.object({
  code: z.string().regex(/^[IVX]+(\.\d+)?(\.[a-z])?$/, 'mã mục dạng III.2.e'),
  text: z.string().min(1),
  required: z.boolean().default(true),
});

export const checklistTableSchema = z.object({
  kind: z.literal('checklist'),
  id,
  sheetTitle: z.string().min(1).max(31, 'tên trang tối đa 31 ký tự (giới hạn của Excel)'),
  label: z.string().min(1),
  caption: z.string().min(1),
  subtitle: z.string().min(1),
  instructions: z.string().min(1),
  sections: z
    .array(
      z.object({
        code: z.string().regex(/^[IVX]+$/),
        title: z.string().min(1),
        items: z.array(checklistItemSchema).min(1),
      }),
    )
    .min(1),
  columns: z.object({ content: z.string().min(1), reference: z.string().min(1) }),
  maxLength: z.number().int().positive().default(5000),
});

const fieldBase = {
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  header: z.array(z.string().min(1)).min(1).max(2),
  required: z.boolean().default(false),
  width: z.number().int().positive().optional(),
};

export const listFieldSchema = z.discriminatedUnion('type', [
  z.object({ ...fieldBase, type: z.literal('text'), maxLength: z.number().int().positive().default(2000) }),
  z.object({ ...fieldBase, type: z.literal('integer') }),
  z.object({ ...fieldBase, type: z.literal('checkbox') }),
  /** A calendar date: typed dd/mm/yyyy or entered as a real date; read as YYYY-MM-DD. */
  z.object({ ...fieldBase, type: z.literal('date') }),
  /** A drop-down whose options come from named option lists in the campaign (awards, titles, …). */
  z.object({ ...fieldBase, type: z.literal('choice'), options: id }),
]);

const fieldCode = z.string().regex(/^[a-z][a-z0-9_]*$/);

/** Which field of a nominations list carries which fact, so the rules need no field names in code. */
export const nominationFieldsSchema = z.object({
  award: fieldCode,
  type: fieldCode,
  scope: fieldCode,
  name: fieldCode,
  position: fieldCode,
  /** year → field holding that year's emulation title */
  titles: z.record(z.string().regex(/^\d{4}$/), fieldCode),
  giayKhen: fieldCode,
  bangKhen: fieldCode,
  summary: fieldCode,
  reportConfirmed: fieldCode,
  originalSets: fieldCode,
  /**
   * "Thuộc diện xét danh hiệu thi đua" (Có / Không; blank = Có): with the option value `khong`
   * the criteria an eligibility category marks `onlyWhenAssessed` are not applied.
   */
  assessed: fieldCode.optional(),
});

/** Which field of an activities list carries which fact, so the master compiles them with no field names in code. */
export const activityFieldsSchema = z.object({
  date: fieldCode,
  name: fieldCode,
  kind: fieldCode,
  level: fieldCode,
  participants: fieldCode,
  summary: fieldCode,
});

export const listTableSchema = z.object({
  kind: z.literal('list'),
  id,
  /**
   * 'examples': counted against minEntries; 'nominations': quotas, eligibility and dossier apply;
   * 'activities': at least one row or the form block's `noneBox` ticked, dates within the round's window.
   */
  role: z.enum(['examples', 'nominations', 'activities', 'generic']).default('generic'),
  nominationFields: nominationFieldsSchema.optional(),
  activityFields: activityFieldsSchema.optional(),
  sheetTitle: z.string().min(1).max(31, 'tên trang tối đa 31 ký tự (giới hạn của Excel)'),
  label: z.string().min(1),
  caption: z.string().min(1),
  subtitle: z.string().min(1),
  instructions: z.string().min(1),
  rows: z.number().int().positive().max(500),
  minEntries: z.number().int().nonnegative().default(0),
  fields: z.array(listFieldSchema).min(1),
  /**
   * A nominations list's column the system writes: each nominee's verdict, in the labels of an
   * option list whose values are ok, incomplete, ineligible, over_quota.
   */
  verdictColumn: z
    .object({ header: z.string().min(1), options: id, width: z.number().int().positive().optional() })
    .optional(),
  /** Optional block of unit-level checkboxes above the list (the nomination dossier). */
  formBlock: z
    .object({
      caption: z.string().min(1),
      fields: z
        .array(
          z.object({
            code: z.string().regex(/^[a-z][a-z0-9_]*$/),
            label: z.string().min(1),
            type: z.literal('checkbox'),
            requiredWhenEntries: z.boolean().default(true),
          }),
        )
        .min(1),
    })
    .optional(),
  /** The form block's checkbox that says "nothing to list" (e.g. "Không tổ chức hoạt động"): then no row is needed. */
  noneBox: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .optional(),
});

/**
 * How units' figures are consolidated: each group lists unit kinds; a group's subtotal adds
 * the hierarchy totals of its units (a unit with an ancestor in the same group is already in
 * that ancestor's totals). The headline figure adds the groups marked `headline` only.
 */
export const consolidationGroupSchema = z.object({
  id,
  label: z.string().min(1),
  subtotalLabel: z.string().min(1),
  kinds: z.array(id).min(1),
  headline: z.boolean(),
});

export const tableSchema = z.discriminatedUnion('kind', [figuresTableSchema, checklistTableSchema, listTableSchema]);

export const confirmationSchema = z.object({
  sheetTitle: z.string().min(1).max(31, 'tên trang tối đa 31 ký tự (giới hạn của Excel)'),
  caption: z.string().min(1),
  instructions: z.string().min(1),
  fields: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z][a-z0-9_]*$/),
        label: z.string().min(1),
        /**
         * The label for a unit whose workbook holds nominations only (district police, CATP
         * departments): they link the signed submission letter (tờ trình), not a report.
         */
        labelWhenNominatesOnly: z.string().min(1).optional(),
        /** For a url field: what the link must point to, quoted in the message of a bad link. */
        document: z.string().min(1).optional(),
        documentWhenNominatesOnly: z.string().min(1).optional(),
        type: z.enum(['submit-checkbox', 'text', 'phone', 'url']),
        required: z.boolean().default(true),
        maxLength: z.number().int().positive().default(300),
      }),
    )
    .min(1),
});

export const ruleSchema = z.discriminatedUnion('kind', [
  /** A built-in check (value parsing, completeness, structure, nominations…); the code selects it. */
  z.object({ kind: z.literal('builtin'), code: z.string().min(1), severity, message: z.string().min(1) }),
  /** left ≤ right on every period row of a figures table. */
  z.object({
    kind: z.literal('lte'),
    code: z.string().min(1),
    severity,
    table: id,
    left: z.string(),
    right: z.string(),
    at: z.enum(['left', 'right']),
    message: z.string().min(1),
  }),
  /** when `ifZero` is 0, `thenZero` must be 0 too (events 0 but people > 0). */
  z.object({
    kind: z.literal('zero-implies-zero'),
    code: z.string().min(1),
    severity,
    table: id,
    ifZero: z.string(),
    thenZero: z.string(),
    message: z.string().min(1),
  }),
  z.object({
    kind: z.literal('outlier-peer'),
    code: z.string().min(1),
    severity,
    minPeers: z.number().int().min(3),
    robustZ: z.number().positive(),
    minRatio: z.number().min(1),
    message: z.string().min(1),
  }),
  z.object({
    kind: z.literal('outlier-own'),
    code: z.string().min(1),
    severity,
    minOtherPeriods: z.number().int().min(2),
    minRatio: z.number().min(1),
    minAbsolute: z.number().nonnegative(),
    message: z.string().min(1),
  }),
  z.object({
    kind: z.literal('stock-drop'),
    code: z.string().min(1),
    severity,
    maxFallRatio: z.number().gt(0).lt(1),
    message: z.string().min(1),
  }),
]);

export const awardSchema = z.object({
  id,
  name: z.string().min(1),
  originalSets: z.number().int().positive(),
});

const limits = z
  .object({
    total: z.number().int().nonnegative().optional(),
    collective: z.number().int().nonnegative().optional(),
    individual: z.number().int().nonnegative().optional(),
  })
  .refine(
    (l) => l.total !== undefined || l.collective !== undefined || l.individual !== undefined,
    'cần ít nhất một giới hạn',
  );

export const quotaSchema = z.object({
  award: id,
  /** Unit kinds this row applies to; '*' = every nominating unit. */
  kinds: z.union([z.literal('*'), z.array(id).min(1)]),
  scope: z.enum(['any', 'cand', 'outside']),
  limits,
  description: z.string().min(1),
});

export const eligibilityCategorySchema = z.object({
  scope: nomineeScope,
  type: nomineeType,
  label: z.string().min(1),
  /** Titles from lowest to highest. */
  ladder: z.array(z.string().min(1)).min(1),
  minimumEveryYear: z.string().min(1),
  /**
   * Criteria the plan applies only to a unit or person assessed for emulation titles ("đơn vị
   * là đầu mối xét danh hiệu thi đua", "thuộc diện xét danh hiệu thi đua"): skipped for a
   * nominee marked "Không" in the nominations' `assessed` field.
   */
  onlyWhenAssessed: z.array(z.enum(['minimumEveryYear', 'extraTitle'])).default([]),
  extra: z.object({
    awards: z.array(id).min(1),
    title: z.string().min(1),
    minYears: z.number().int().positive(),
    commendations: z.object({
      count: z.number().int().positive(),
      of: z.array(z.enum(['giay_khen', 'bang_khen'])).min(1),
      label: z.string().min(1),
    }),
  }),
});

export const campaignSchema = z
  .object({
    id,
    version: z.number().int().positive(),
    title: z.string().min(1),
    shortTitle: z.string().min(1),
    source: z.string().min(1),
    timeZone: z.string().min(1),
    locale: z.string().min(1),
    deadlineReading: deadlineReadingSchema,
    coordinator: z.object({ unit: id, name: z.string().min(1), emails: z.array(z.email()).min(1) }),
    periods: z.array(periodSchema).min(1),
    rounds: z.array(roundSchema).min(1),
    reminders: z.object({
      daysBefore: z.array(z.number().int().nonnegative()),
      overdueEveryDays: z.number().int().positive(),
    }),
    unitKinds: z.array(unitKindSchema).min(1),
    units: z.array(unitSchema).min(1),
    instructions: z.object({
      sheetTitle: z.string().min(1).max(31, 'tên trang tối đa 31 ký tự (giới hạn của Excel)'),
      caption: z.string().min(1),
      lines: z.array(z.string().min(1)).min(1),
    }),
    tables: z.array(tableSchema).min(1),
    confirmation: confirmationSchema,
    options: z.record(id, z.array(z.object({ value: z.string().min(1), label: z.string().min(1) })).min(1)),
    rules: z.array(ruleSchema).min(1),
    /**
     * Awards, quotas, the city shortlist and eligibility only matter to a campaign with a
     * nominations table; a campaign without one may leave them out (an empty shortlist then).
     */
    awards: z.array(awardSchema).default([]),
    quotas: z.array(quotaSchema).default([]),
    cityShortlist: z
      .object({
        award: id,
        limits: z.array(z.object({ scope: nomineeScope, limits, description: z.string().min(1) })).min(1),
      })
      .default({ award: '', limits: [] }),
    eligibility: z
      .object({ years: z.array(z.number().int()).min(1), categories: z.array(eligibilityCategorySchema) })
      .default({ years: [], categories: [] }),
    /** Absent: one headline group of every unit kind that files a figures table. */
    consolidation: z.object({ groups: z.array(consolidationGroupSchema).min(1) }).optional(),
  })
  .superRefine((campaign, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const unique = <T>(items: T[], key: (t: T) => string, path: string, what: string) => {
      const seen = new Set<string>();
      items.forEach((item, itemIndex) => {
        const itemKey = key(item);
        if (seen.has(itemKey)) issue([path, itemIndex], `${what} "${itemKey}" bị trùng`);
        seen.add(itemKey);
      });
    };
    unique(campaign.periods, (p) => p.id, 'periods', 'kỳ');
    unique(campaign.rounds, (r) => r.id, 'rounds', 'đợt');
    unique(campaign.unitKinds, (k) => k.id, 'unitKinds', 'loại đơn vị');
    unique(campaign.units, (u) => u.id, 'units', 'đơn vị');
    unique(campaign.tables, (t) => t.id, 'tables', 'bảng');
    unique(campaign.rules, (r) => r.code, 'rules', 'mã quy tắc');
    unique(campaign.awards, (a) => a.id, 'awards', 'hình thức khen thưởng');
    const sheetTitles = [
      campaign.instructions.sheetTitle,
      campaign.confirmation.sheetTitle,
      ...campaign.tables.map((t) => t.sheetTitle),
    ];
    unique(sheetTitles, (t) => t, 'tables', 'tên trang');

    const periodIds = new Set(campaign.periods.map((p) => p.id));
    const tableIds = new Set(campaign.tables.map((t) => t.id));
    const kindIds = new Set(campaign.unitKinds.map((k) => k.id));
    const unitIds = new Set(campaign.units.map((u) => u.id));
    const awardIds = new Set(campaign.awards.map((a) => a.id));

    campaign.rounds.forEach((round, roundIndex) => {
      round.periods.forEach(
        (p, j) => periodIds.has(p) || issue(['rounds', roundIndex, 'periods', j], `kỳ "${p}" không có trong periods`),
      );
      round.tables.forEach(
        (t, j) => tableIds.has(t) || issue(['rounds', roundIndex, 'tables', j], `bảng "${t}" không có trong tables`),
      );
      if (Date.parse(round.lockAt) < Date.parse(`${round.dueDate}T00:00:00Z`))
        issue(['rounds', roundIndex, 'lockAt'], 'thời điểm khóa sớm hơn hạn gửi');
    });
    campaign.unitKinds.forEach((k, i) =>
      Object.keys(k.tables).forEach(
        (t) => tableIds.has(t) || issue(['unitKinds', i, 'tables', t], `bảng "${t}" không có trong tables`),
      ),
    );
    campaign.units.forEach((unit, unitIndex) => {
      if (!kindIds.has(unit.kind))
        issue(['units', unitIndex, 'kind'], `loại đơn vị "${unit.kind}" không có trong unitKinds`);
      if (unit.parent !== null && !unitIds.has(unit.parent))
        issue(['units', unitIndex, 'parent'], `đơn vị cấp trên "${unit.parent}" không có trong units`);
    });
    // The hierarchy must be a forest: following parents from any unit must end at a root.
    const parentOf = new Map(campaign.units.map((u) => [u.id, u.parent]));
    campaign.units.forEach((unit, unitIndex) => {
      const seen = new Set<string>();
      for (let at: string | null | undefined = unit.id; at; at = parentOf.get(at)) {
        if (seen.has(at)) {
          issue(['units', unitIndex, 'parent'], `vòng lặp cấp trên qua "${at}"`);
          break;
        }
        seen.add(at);
      }
    });
    if (!unitIds.has(campaign.coordinator.unit))
      issue(['coordinator', 'unit'], `đơn vị "${campaign.coordinator.unit}" không có trong units`);

    campaign.tables.forEach((table, tableIndex) => {
      if (table.kind === 'figures') {
        unique(table.indicators, (ind) => ind.code, `tables.${tableIndex}.indicators`, 'mã chỉ tiêu');
      }
      if (table.kind === 'list') {
        unique(table.fields, (f) => f.code, `tables.${tableIndex}.fields`, 'mã trường');
        if (table.role === 'nominations') {
          if (campaign.awards.length === 0)
            issue(['awards'], `bảng đề nghị khen thưởng "${table.id}" cần ít nhất một hình thức khen thưởng`);
          if (campaign.eligibility.years.length === 0)
            issue(['eligibility', 'years'], `bảng đề nghị khen thưởng "${table.id}" cần các năm xét danh hiệu`);
          if (!table.nominationFields)
            issue(['tables', tableIndex, 'nominationFields'], 'bảng đề nghị khen thưởng cần nominationFields');
          else {
            const codes = new Set(table.fields.map((f) => f.code));
            const { titles, ...single } = table.nominationFields;
            for (const [role, code] of Object.entries(single))
              if (code !== undefined && !codes.has(code))
                issue(['tables', tableIndex, 'nominationFields', role], `trường "${code}" không có trong fields`);
            for (const [year, code] of Object.entries(titles))
              if (!codes.has(code))
                issue(
                  ['tables', tableIndex, 'nominationFields', 'titles', year],
                  `trường "${code}" không có trong fields`,
                );
            for (const y of campaign.eligibility.years)
              if (!titles[String(y)])
                issue(['tables', tableIndex, 'nominationFields', 'titles'], `thiếu trường danh hiệu năm ${y}`);
            const optionValues = (code: string) => {
              const field = table.fields.find((x) => x.code === code);
              return field?.type === 'choice'
                ? new Set((campaign.options[field.options] ?? []).map((o) => o.value))
                : new Set<string>();
            };
            const expect = (code: string, values: string[], role: string) => {
              const have = optionValues(code);
              if (values.some((v) => !have.has(v)))
                issue(
                  ['tables', tableIndex, 'nominationFields', role],
                  `trường "${code}" phải là danh sách có các giá trị ${values.join(', ')}`,
                );
            };
            expect(table.nominationFields.type, ['collective', 'individual'], 'type');
            expect(table.nominationFields.scope, ['cand', 'outside'], 'scope');
            expect(
              table.nominationFields.award,
              campaign.awards.map((a) => a.id),
              'award',
            );
            if (table.verdictColumn) {
              const have = new Set((campaign.options[table.verdictColumn.options] ?? []).map((o) => o.value));
              if (['ok', 'incomplete', 'ineligible', 'over_quota'].some((v) => !have.has(v)))
                issue(
                  ['tables', tableIndex, 'verdictColumn', 'options'],
                  'danh sách kết quả xét phải có các giá trị ok, incomplete, ineligible, over_quota',
                );
            }
            if (table.nominationFields.assessed) expect(table.nominationFields.assessed, ['co', 'khong'], 'assessed');
          }
        }
        if (table.role === 'activities') {
          if (!table.activityFields)
            issue(['tables', tableIndex, 'activityFields'], 'bảng hoạt động cần activityFields');
          else {
            const byCode = new Map(table.fields.map((f) => [f.code, f]));
            const want = {
              date: 'date',
              name: 'text',
              kind: 'choice',
              level: 'choice',
              participants: 'integer',
              summary: 'text',
            } as const;
            for (const [role, type] of Object.entries(want)) {
              const code = table.activityFields[role as keyof typeof want];
              if (byCode.get(code)?.type !== type)
                issue(
                  ['tables', tableIndex, 'activityFields', role],
                  `trường "${code}" phải có trong fields, kiểu ${type}`,
                );
            }
          }
        }
        if (table.noneBox !== undefined && !table.formBlock?.fields.some((f) => f.code === table.noneBox))
          issue(['tables', tableIndex, 'noneBox'], `ô "${table.noneBox}" không có trong formBlock`);
        table.fields.forEach((field, fieldIndex) => {
          if (field.type === 'choice' && !campaign.options[field.options])
            issue(
              ['tables', tableIndex, 'fields', fieldIndex, 'options'],
              `danh sách lựa chọn "${field.options}" không có trong options`,
            );
        });
      }
    });
    const indicatorCodes = new Map<string, Set<string>>();
    campaign.tables.forEach(
      (t) => t.kind === 'figures' && indicatorCodes.set(t.id, new Set(t.indicators.map((ind) => ind.code))),
    );
    campaign.rules.forEach((rule, ruleIndex) => {
      if (rule.kind === 'lte' || rule.kind === 'zero-implies-zero') {
        const codes = indicatorCodes.get(rule.table);
        if (!codes) return issue(['rules', ruleIndex, 'table'], `bảng số liệu "${rule.table}" không có`);
        const pair =
          rule.kind === 'lte'
            ? [
                ['left', rule.left],
                ['right', rule.right],
              ]
            : [
                ['ifZero', rule.ifZero],
                ['thenZero', rule.thenZero],
              ];
        for (const [key, code] of pair)
          if (!codes.has(code!))
            issue(['rules', ruleIndex, key!], `mã chỉ tiêu "${code}" không có trong bảng ${rule.table}`);
      }
    });
    campaign.quotas.forEach((quota, quotaIndex) => {
      if (!awardIds.has(quota.award))
        issue(['quotas', quotaIndex, 'award'], `hình thức "${quota.award}" không có trong awards`);
      if (quota.kinds !== '*')
        quota.kinds.forEach(
          (k, j) => kindIds.has(k) || issue(['quotas', quotaIndex, 'kinds', j], `loại đơn vị "${k}" không có`),
        );
    });
    if (campaign.consolidation) {
      const groups = campaign.consolidation.groups;
      unique(groups, (g) => g.id, 'consolidation.groups', 'nhóm tổng hợp');
      const grouped = new Set<string>();
      groups.forEach((g, i) =>
        g.kinds.forEach((kind, kindIndex) => {
          if (!kindIds.has(kind))
            issue(['consolidation', 'groups', i, 'kinds', kindIndex], `loại đơn vị "${kind}" không có trong unitKinds`);
          if (grouped.has(kind))
            issue(['consolidation', 'groups', i, 'kinds', kindIndex], `loại đơn vị "${kind}" đã thuộc nhóm khác`);
          grouped.add(kind);
        }),
      );
      if (!groups.some((g) => g.headline))
        issue(['consolidation', 'groups'], 'cần ít nhất một nhóm tính vào số liệu chung của toàn thành phố (headline)');
    }
    if (campaign.cityShortlist.limits.length > 0 && !awardIds.has(campaign.cityShortlist.award))
      issue(['cityShortlist', 'award'], `hình thức "${campaign.cityShortlist.award}" không có trong awards`);
    campaign.eligibility.categories.forEach((cat, categoryIndex) => {
      if (!cat.ladder.includes(cat.minimumEveryYear))
        issue(
          ['eligibility', 'categories', categoryIndex, 'minimumEveryYear'],
          'danh hiệu tối thiểu không có trong thang danh hiệu',
        );
      if (!cat.ladder.includes(cat.extra.title))
        issue(
          ['eligibility', 'categories', categoryIndex, 'extra', 'title'],
          'danh hiệu không có trong thang danh hiệu',
        );
      cat.extra.awards.forEach(
        (a, j) =>
          awardIds.has(a) ||
          issue(['eligibility', 'categories', categoryIndex, 'extra', 'awards', j], `hình thức "${a}" không có`),
      );
    });
  });

export type CampaignInput = z.input<typeof campaignSchema>;
export type Campaign = z.output<typeof campaignSchema>;
export type Round = z.output<typeof roundSchema>;
export type Period = z.output<typeof periodSchema>;
export type Unit = z.output<typeof unitSchema>;
export type UnitKind = z.output<typeof unitKindSchema>;
export type Indicator = z.output<typeof indicatorSchema>;
export type FiguresTable = z.output<typeof figuresTableSchema>;
export type ChecklistTable = z.output<typeof checklistTableSchema>;
export type ListTable = z.output<typeof listTableSchema>;
export type ListField = z.output<typeof listFieldSchema>;
export type ConsolidationGroup = z.output<typeof consolidationGroupSchema>;
export type Table = z.output<typeof tableSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type Award = z.output<typeof awardSchema>;
export type Quota = z.output<typeof quotaSchema>;
export type EligibilityCategory = z.output<typeof eligibilityCategorySchema>;
export type NomineeScope = z.output<typeof nomineeScope>;
export type NomineeType = z.output<typeof nomineeType>;
export type Severity = z.output<typeof severity>;
