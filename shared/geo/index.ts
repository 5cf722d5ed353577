/** Geography (docs/operators/limits.md): USPS codes, the area-code table and callerId forms. */
export { areaCodeStates } from './area-code-states';
export { normalizeCallerId, parseUsState, stateOfCallerId } from './caller-state';
export { type UsState, isUsState, usStateCodes } from './us-states';
