// What every scenario shares: a client of the local server built the way a user builds one, and one way to hand
// results back to the Java test (a single JSON line on stdout, last).
import { Daytona } from '@daytonaio/sdk';

export function daytona() {
  return new Daytona({
    apiKey: process.env.DAYTONA_API_KEY,
    apiUrl: process.env.DAYTONA_API_URL,
    target: 'local',
  });
}

// Scenario arguments, passed by the Java test as one JSON object.
export const args = JSON.parse(process.env.SCENARIO_ARGS || '{}');

// Prints what the scenario observed; the Java test asserts on it.
export function report(result) {
  process.stdout.write('\nSCENARIO-RESULT ' + JSON.stringify(result) + '\n');
}

// Runs fn and returns what it threw as {error, status} instead of throwing, for scenarios that expect a failure.
export async function failure(fn) {
  try {
    await fn();
    return { error: null };
  } catch (e) {
    return { error: e.constructor.name, message: String(e.message), status: e.statusCode ?? null };
  }
}
