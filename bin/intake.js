#!/usr/bin/env node
console.log("LOCAL BIN", process.argv.slice(2).join(" "));
