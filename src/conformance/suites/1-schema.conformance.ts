/** The schema suite: see src/conformance/scenarios/schema.ts. Runs under the conformance jest config only. */
import { defineSuite } from '../harness';
import { SCHEMA_SCENARIOS } from '../scenarios/schema';

defineSuite('schema', SCHEMA_SCENARIOS);
