// A TypeScript entry: the child runs it under the parent's loader.
interface Answer {
  readonly value: number;
}

export function main(n: number): number {
  const answer: Answer = { value: n + 1 };
  return answer.value;
}
