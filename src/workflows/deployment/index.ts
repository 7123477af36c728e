// blueGreenDeployment: one account's blue-green swap (child of stagedRelease, or started alone).
// Message definitions for callers (the parent release, clients) are in ./messages.
import { declareVersioning } from '../versioning';
import { blueGreenDeployment } from './blue-green';

// Pinned: a swap lasts minutes and runs start to end on the worker build it started on, so its
// code never changes under its feet; the old build drains once its swaps have ended (README,
// "Updating the orchestrator").
declareVersioning('PINNED', blueGreenDeployment);

export { blueGreenDeployment };
