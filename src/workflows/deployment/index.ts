// blueGreenDeployment lives here.
export {};
