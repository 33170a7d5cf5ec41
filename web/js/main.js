// Entry point of every page: renders the math, then starts the exercises and the experiments.

import { renderMathIn } from './math.js';
import { startExperiments } from './experiment.js';
import { startExercises } from './exercise.js';
import './widgets.js';

renderMathIn(document.body);
startExercises(document);
startExperiments(document);
