/** Bench build only: imported first of all, so the start-up profile covers loading Worktrace. */
import { startStartupProfile } from './probe';

startStartupProfile();
