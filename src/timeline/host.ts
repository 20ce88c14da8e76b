/**
 * The host side of the timeline, as one module the panel loads when it first opens
 * (src/ui/timelinePanel.ts imports it dynamically; the build makes it a bundle of its own,
 * dist/timelineHost.js): a window that never opens the timeline neither loads nor compiles it.
 */
export { TimelineController } from './controller';
export { TraceFolderLibrary } from './traceLibrary';
