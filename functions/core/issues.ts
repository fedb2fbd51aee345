/** Issues as a person meets them: a tab, a cell to click, a rule code, a Vietnamese message. */
import type { Severity } from '../../sheets-schema/campaign-schema.js';
import { a1 } from './a1.js';
import type { CampaignModel } from './campaign-model.js';
import { fillTemplate, type MessageParams } from './messages.js';

export interface Issue {
  sheet: string;
  /** A1 address, or null when the issue concerns a whole tab (a missing tab, a missing column). */
  cell: string | null;
  code: string;
  severity: Severity;
  message: string;
  /** 0-based position for feedback; null with `cell`. */
  row: number | null;
  col: number | null;
}

export interface IssueAt {
  sheet: string;
  row: number | null;
  col: number | null;
}

export class IssueCollector {
  readonly issues: Issue[] = [];
  /**
   * Completeness problems (blank required cells, missing dossier items…). They are not
   * errors while a unit is still filling in; they become errors when the unit submits.
   */
  readonly pending: Issue[] = [];

  constructor(
    private readonly model: CampaignModel,
    private readonly defaults: MessageParams = {},
  ) {}

  private make(code: string, at: IssueAt, params: MessageParams): Issue {
    const rule = this.model.rule(code);
    const cell = at.row !== null && at.col !== null ? a1(at.row, at.col) : null;
    const message = fillTemplate(rule.message, { ...this.defaults, cell: cell ?? '', sheet: at.sheet, ...params });
    return { sheet: at.sheet, cell, code, severity: rule.severity, message, row: at.row, col: at.col };
  }

  add(code: string, at: IssueAt, params: MessageParams = {}): void {
    this.issues.push(this.make(code, at, params));
  }

  addPending(code: string, at: IssueAt, params: MessageParams = {}): void {
    this.pending.push({ ...this.make(code, at, params), severity: 'error' });
  }
}

export function countBySeverity(issues: Issue[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const issue of issues) {
    if (issue.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}
