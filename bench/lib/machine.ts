/** The machine the figures were measured on, from `os`. */
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  kernel: string;
  /** 1-, 5- and 15-minute load averages when the run started (other work on the machine shows here). */
  loadAverage: number[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export const describeMachine = (m: Machine) =>
  `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, Node ${m.node.replace(/^v/, '')}, ${m.platform} (kernel ${m.kernel}); load average ${m.loadAverage.join(' / ')} at start`;

export const loadAverage = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
