/** The ids suite: see src/conformance/scenarios/ids.ts. Runs under the conformance jest config only. */
import { defineSuite } from '../harness';
import { ID_SCENARIOS } from '../scenarios/ids';

defineSuite('ids', ID_SCENARIOS);
