// blueGreenDeployment: one account's blue-green swap (child of stagedRelease, or started alone).
// Message definitions for callers (the parent release, clients) are in ./messages.
export { blueGreenDeployment } from './blue-green';
