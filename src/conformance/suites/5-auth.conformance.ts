/** The auth suite: see src/conformance/scenarios/auth.ts. Runs under the conformance jest config only. */
import { defineSuite } from '../harness';
import { AUTH_SCENARIOS } from '../scenarios/auth';

defineSuite('auth', AUTH_SCENARIOS);
