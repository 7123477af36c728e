/**
 * Messages of `blueGreenDeployment`, importable by the parent release and by clients:
 *
 * - `approve` / `reject` (each a signal and an update, payload `{ reason?, by? }`): the on-call
 *   decision on a validation that came out inconclusive. Accepted only while the swap waits for
 *   that decision; the update is rejected otherwise (the signal is logged and ignored).
 * - `hold` / `release` (signals, from the parent on pause/resume): while held, the swap does
 *   not start its promotion (nor a major upgrade's maintenance); validation may finish.
 * - `status` (query): the current step and the evidence so far.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  DEPLOYMENT_MESSAGES,
  type Approval,
  type DeploymentStatus,
  type HoldRequest,
} from '../../domain/deployment/swap';

export type { HoldRequest };

export const approveSignal = defineSignal<[Approval?]>(DEPLOYMENT_MESSAGES.approve);
export const approveUpdate = defineUpdate<DeploymentStatus, [Approval]>(DEPLOYMENT_MESSAGES.approve);
export const rejectSignal = defineSignal<[Approval?]>(DEPLOYMENT_MESSAGES.reject);
export const rejectUpdate = defineUpdate<DeploymentStatus, [Approval]>(DEPLOYMENT_MESSAGES.reject);
export const holdSignal = defineSignal<[HoldRequest?]>(DEPLOYMENT_MESSAGES.hold);
export const releaseSignal = defineSignal<[HoldRequest?]>(DEPLOYMENT_MESSAGES.release);
export const deploymentStatusQuery = defineQuery<DeploymentStatus>(DEPLOYMENT_MESSAGES.status);
