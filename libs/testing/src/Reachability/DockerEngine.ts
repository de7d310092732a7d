// Is a container runtime usable? Asks testcontainers' own runtime detection, loaded lazily so test files
// whose services are up never load testcontainers or touch Docker.
export const dockerEngineAvailable = async (): Promise<boolean> => {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
};
