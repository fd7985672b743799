/** The gate's suites, in the order a check runs them; each keeps one baseline file (`<suite>.json`). */
export const SUITES = ['deterministic', 'instructions', 'timing'] as const;
export type Suite = (typeof SUITES)[number];
