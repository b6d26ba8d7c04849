import type { TestProject } from 'vitest/node';
import { startJanus, type JanusServer } from './janusServer.js';
import type {} from './providedContext.js';

let janus: JanusServer | undefined;

/**
 * Starts one `janus` for the whole Vitest run; tests read its URL with `inject('janusUrl')`
 * and its VideoRoom admin key with `inject('janusAdminKey')`. A test that kills Janus starts
 * its own through `startJanus` instead.
 */
export async function setup(project: TestProject): Promise<void> {
  janus = await startJanus();
  project.provide('janusUrl', janus.url);
  project.provide('janusAdminKey', janus.adminKey);
}

export async function teardown(): Promise<void> {
  await janus?.dispose();
}
