export { releaseTrain } from './release-train';
