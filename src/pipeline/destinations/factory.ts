import { destinationProblem, type Settings } from '../../config/settings';
import type { Destination } from './destination';
import { FileDestination } from './file';
import { HttpDestination } from './http';
import { OtlpDestination, type OtlpIdentity } from './otlp';

export interface DestinationDeps {
  /** Folder of the file destination when worktrace.file.directory is empty. */
  defaultTraceDirectory: string;
  token: () => Promise<string | undefined>;
  identity: OtlpIdentity;
}

/** Builds the configured destination, or says why it cannot (events then stay spooled). */
export function createDestination(settings: Settings, deps: DestinationDeps): { destination: Destination } | { error: string } {
  const problem = destinationProblem(settings);
  if (problem) {
    return { error: problem };
  }
  const http = { url: settings.endpointUrl, headers: settings.endpointHeaders, timeoutMs: settings.endpointTimeoutMs, token: deps.token, allowInsecureToken: settings.allowInsecureToken };
  switch (settings.destination) {
    case 'http':
      return { destination: new HttpDestination(http) };
    case 'otlp':
      return { destination: new OtlpDestination(http, deps.identity) };
    default:
      return { destination: new FileDestination({ directory: settings.fileDirectory || deps.defaultTraceDirectory, gzip: settings.fileGzip }) };
  }
}
