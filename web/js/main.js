// Entry point of every page: renders the math, then starts the experiments.

import { renderMathIn } from './math.js';
import { startExperiments } from './experiment.js';

renderMathIn(document.body);
startExperiments(document);
