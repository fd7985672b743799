import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Start a new peak-RSS interval: on Linux, writing 5 to /proc/self/clear_refs resets the process's
 * high-water mark (VmHWM) to its current RSS, so the next `peakRss()` is the peak since this call.
 * Returns false where that is not possible (other systems, a locked-down /proc).
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * The process's peak resident set in bytes: since the last successful `resetPeakRss()` ('interval'),
 * or since the process started ('process': resourceUsage's maxRSS, where the reset is unavailable).
 */
export function peakRss(resetWorked: boolean): { bytes: number; scope: 'interval' | 'process' } {
  if (resetWorked) {
    try {
      const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) return { bytes: Number(m[1]) * 1024, scope: 'interval' };
    } catch {
      // fall through to the process-wide figure
    }
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, scope: 'process' };
}
