/**
 * How deeply a JSON text nests, found without parsing it. Plain Node.
 *
 * `JSON.parse` itself copes with deep nesting, but most code that walks a parsed value
 * (`JSON.stringify`, `structuredClone`, schema validators, recursive visitors) recurses
 * and overflows the stack somewhere in the thousands of levels. Checking before parsing
 * keeps such values out of the trace reader altogether.
 */

/** Deepest nesting of arrays and objects a trace line may have. Real events nest a few levels. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether `text` opens more than `max` arrays/objects inside each other. Brackets inside
 * strings do not count. One pass over the text (O(n)), no allocation; it does not check
 * that the text is valid JSON (the parser does that afterwards).
 */
export function nestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  if (fewOpenings(text, max)) {
    return false; // most lines: too few brackets to nest that deep, found with the native indexOf
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        i++; // the escaped character cannot end the string
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) {
        return true;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Whether `text` holds at most `max` `{` and `[` in all (then it cannot nest deeper than `max`). */
function fewOpenings(text: string, max: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) {
      if (++count > max) {
        return false;
      }
    }
  }
  return true;
}
