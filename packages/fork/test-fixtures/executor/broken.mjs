// An entry whose import fails.
throw new SyntaxError('broken on purpose');
