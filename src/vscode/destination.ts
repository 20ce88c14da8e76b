import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Destination } from '../pipeline/destinations/destination';
import { createDestination, type DestinationDeps } from '../pipeline/destinations/factory';
import { insecureTokenProblem } from '../pipeline/destinations/transport';
import type { Pipeline } from '../pipeline/pipeline';
import type { Configuration } from './configuration';
import type { Consent } from './consent';

/**
 * Keeps the pipeline's destination in line with the settings and the engineer's consent: a
 * network destination is used only once allowed for this workspace and endpoint; until
 * then (or with an invalid configuration) events wait in the local spool.
 */
export class DestinationWiring extends Disposable {
  /** Counts applications, so a slow token check of an older one is dropped. */
  private generation = 0;
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: Configuration,
    private readonly pipeline: Pipeline,
    private readonly consent: Consent,
    private readonly deps: DestinationDeps,
    onDidChangeToken: vscode.Event<void>,
  ) {
    super();
    this.apply();
    this.register(config.onDidChange(() => this.apply()));
    this.register(consent.onDidChange(() => this.apply()));
    this.register(onDidChangeToken(() => this.apply()));
  }

  /** The consent key of the configured destination. */
  get consentKey(): string {
    return `${this.config.settings.destination} ${this.config.settings.endpointUrl}`;
  }

  /** The engineer chose "Disable here" for the configured destination. */
  get disabledByConsent(): boolean {
    return this.config.settings.destination !== 'file' && this.consent.decision(this.consentKey) === 'disable';
  }

  private apply(): void {
    const generation = ++this.generation;
    const settings = this.config.settings;
    const made = createDestination(settings, this.deps);
    if ('error' in made) {
      this.pipeline.setDestination(undefined, made.error);
      return;
    }
    const destination = made.destination;
    if (destination.kind === 'file') {
      this.pipeline.setDestination(destination);
      return;
    }
    const decision = this.consent.decision(this.consentKey);
    if (decision === 'allow') {
      // Nothing is sent until the token's way is known to be safe (https, or http to this machine).
      this.pipeline.setDestination(undefined, undefined, undefined);
      this.checking = this.useWhenTokenSafe(destination, generation);
    } else if (decision === 'local' || decision === 'disable') {
      const local = createDestination({ ...settings, destination: 'file' }, this.deps);
      this.pipeline.setDestination('destination' in local ? local.destination : undefined);
    } else {
      this.pipeline.setDestination(undefined, undefined, `${destination.kind} ${destination.target}`);
      this.consent.ask(this.consentKey, `${destination.kind === 'otlp' ? 'the OpenTelemetry Collector at ' : ''}${destination.target}`);
    }
  }

  /** Resolves once the destination in use follows the current settings (the token check is asynchronous). */
  async settled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.checking;
      await current;
    } while (current !== this.checking);
  }

  private async useWhenTokenSafe(destination: Destination, generation: number): Promise<void> {
    const token = await this.deps.token().catch(() => undefined);
    if (generation !== this.generation || this.isDisposed) {
      return;
    }
    const settings = this.config.settings;
    const problem = token ? insecureTokenProblem(settings.endpointUrl, settings.allowInsecureToken) : undefined;
    this.pipeline.setDestination(problem ? undefined : destination, problem);
  }
}

/** The VS Code side of the destination dependencies: the token lives in SecretStorage. */
export function destinationDeps(secrets: vscode.SecretStorage, tokenKey: string, defaultTraceDirectory: string, extensionVersion: string): DestinationDeps {
  return {
    defaultTraceDirectory,
    token: async () => (await secrets.get(tokenKey)) || undefined,
    identity: { extensionVersion, vscodeVersion: vscode.version },
  };
}
