// Validation messages start with their path ("containers[1].interfaces[0].ip 10.0.1.2 is
// already used ..."), which the problem list needs. Next to the element or the field it
// is about, the path says nothing new, so it is left out there.
import type { Problem } from '../../../electron/lab/model';

export function messageAtElement(problem: Problem): string {
  if (problem.path === '' || !problem.message.startsWith(`${problem.path} `)) return problem.message;
  const rest = problem.message.slice(problem.path.length + 1);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
