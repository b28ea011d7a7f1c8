// biome-ignore lint/style/noDefaultExport: the default export is what afork calls by default
export default function () {
  return 99;
}

export function returnsNothing() {}

export function returns(value) {
  return value;
}

export const notAFunction = 42;
