#!/usr/bin/env node
// `reslab`: lists the library's models and traces them (shapes, parameters, multiply-accumulates),
// prepares the Fashion-MNIST shards the site serves (`reslab data prepare`), and runs the lessons'
// experiments on the wasm backend (`reslab experiment`), and exports models and experiments to PyTorch
// (`reslab export pytorch`).
import * as tf from '@tensorflow/tfjs';
import { runCli } from './main.ts';
import { runDataCommand } from './data.ts';
import { runExperimentCommand } from './experiment.ts';
import { runExportCommand } from './export.ts';

// The CPU backend greets Node users with a tfjs-node advertisement on stderr; the CLI stays quiet.
tf.env().set('PROD', true);
// A closed pipe (`reslab list | head`) is a normal end for a command-line tool, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const [command, ...rest] = process.argv.slice(2);
process.exitCode =
  command === 'data'
    ? await runDataCommand(rest)
    : command === 'experiment'
      ? await runExperimentCommand(rest)
      : command === 'export'
        ? await runExportCommand(rest)
        : runCli(process.argv.slice(2));
