/** The property suite (group 6): see src/conformance/scenarios/properties.ts. Runs under the conformance jest config only. */
import { defineSuite } from '../harness';
import { readActiveRun } from '../run-channel';
import { propertyScenarios } from '../scenarios/properties';

defineSuite('properties', propertyScenarios(readActiveRun().requestFields));
