/**
 * What a redaction rule reports: a candidate span of the input with its rule id, and the priority
 * that decides which rule names the merged span when candidates overlap (redact.ts merges them).
 */

// ---------------------------------------------------------------------------------------------
// Candidates and their priority when they overlap (lower wins the name of the merged span).

export interface Candidate {
  start: number;
  end: number;
  rule: string;
  priority: number;
}

export const P_TOKEN = 0;
export const P_PRIVATE_KEY = 1;
export const P_URL = 2;
export const P_AUTH = 3;
export const P_GENERIC = 4;
export const P_USER = 5;
