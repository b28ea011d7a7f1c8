// A CommonJS entry: module.exports is the default export, its properties the named ones.
module.exports = function greet(name) {
  return `hello ${name}`;
};
module.exports.twice = (n) => n * 2;
