/** The negative suite: see src/conformance/scenarios/negative.ts. Runs under the conformance jest config only. */
import { defineSuite } from '../harness';
import { NEGATIVE_SCENARIOS } from '../scenarios/negative';

defineSuite('negative', NEGATIVE_SCENARIOS);
