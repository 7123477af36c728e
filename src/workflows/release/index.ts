export { stagedRelease } from './staged-release';
