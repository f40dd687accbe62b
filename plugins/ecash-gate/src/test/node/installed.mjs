// Prints ok: run through NodeScripts, which installs the pinned packages first (npm ci) when they are missing.
console.log('ok');
