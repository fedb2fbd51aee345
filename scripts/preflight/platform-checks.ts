/** The platform checks, one per thing the deployment plan set up, asked of either platform. */
import type { PlanExpectations } from './expectations.js';
import type { Platform } from './platform.js';
import type { Check } from './report.js';

export function platformChecks(x: PlanExpectations, platform: Platform): Check[] {
  return [
    ...x.bindings.map((b) => ({
      id: `iam:${b.group.join('-')}:${b.resource}:${b.role}:${b.member}`,
      title: `Quyền ${b.role} cho ${b.member.replace(/^serviceAccount:/, '')} (${b.group.join(' ')} ${b.resource})`,
      run: () => platform.binding(b),
    })),
    ...x.secrets.map((s) => ({ id: `secret:${s.name}`, title: `Bí mật ${s.name}`, run: () => platform.secret(s) })),
    { id: 'runtime', title: 'Runtime của các hàm', run: () => platform.runtimes(x.functions) },
    { id: 'functions', title: 'Các hàm đang chạy', run: () => platform.functionsUp(x.functions) },
    { id: 'scheduler', title: 'Lịch chạy định kỳ (Cloud Scheduler)', run: () => platform.jobs(x.jobs) },
  ];
}
