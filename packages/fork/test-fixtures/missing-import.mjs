import './no-such-module.mjs';

export function main() {}
