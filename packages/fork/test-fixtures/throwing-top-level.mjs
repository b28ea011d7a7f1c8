throw new Error('the top level failed');
