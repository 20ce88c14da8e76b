/** Entry point of a suite that needs a window of its own (see EXTRA_PHASES in scripts/integration.mjs). */
import { runIn } from '../integration/index';

export function run(): Promise<void> {
  return runIn(__dirname);
}
