// Entry point of every page: renders the math, keeps shared links and export toolbars in step
// with the results, then starts the exercises, the code panels, the experiments, the playground
// and the heads comparisons.

import { renderMathIn } from './math.js';
import { startExperiments } from './experiment.js';
import { startExercises } from './exercise.js';
import { startCodePanels } from './code-panel.js';
import { attachExports } from './export.js';
import { startHeadsComparisons } from './heads-compare.js';
import { startPlayground } from './playground.js';
import { initialParams, trackSharedState } from './share.js';
import './widgets.js';
import './variants.js';

renderMathIn(document.body);
trackSharedState(document);
attachExports(document);
startExercises(document);
startCodePanels(document);
startExperiments(document, { initialParams });
startPlayground(document);
startHeadsComparisons(document);
