/** The semantics suite: see src/conformance/scenarios/semantics.ts. Runs under the conformance jest config only. */
import { defineSuite } from '../harness';
import { SEMANTIC_SCENARIOS } from '../scenarios/semantics';

defineSuite('semantics', SEMANTIC_SCENARIOS);
