import { declareVersioning } from '../versioning';
import { stagedRelease } from './staged-release';

// Auto-upgrade: a release lasts three days and must never wait for an old worker build, so it
// moves to the current build at its next workflow task; every change of its code is therefore
// guarded with patched() and proven by the replay suite (README, "Changing a workflow safely").
declareVersioning('AUTO_UPGRADE', stagedRelease);

export { stagedRelease };
