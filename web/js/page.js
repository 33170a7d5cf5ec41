// The page's widgets, started by main.js once the libraries are loaded: keeps shared links and
// export toolbars in step with the results, starts the exercises, the experiments (their requests
// go out first, so the server computes while the math renders), the playground and the heads
// comparisons, then renders the math a few formulas at a time.

import { renderMathGradually } from './math.js';
import { startExperiments } from './experiment.js';
import { startExercises } from './exercise.js';
import { attachExports } from './export.js';
import { startHeadsComparisons } from './heads-compare.js';
import { startPlayground } from './playground.js';
import { initialParams, trackSharedState } from './share.js';
import './widgets.js';
import './variants.js';

trackSharedState(document);
attachExports(document);
startExercises(document);
startExperiments(document, { initialParams });
startPlayground(document);
startHeadsComparisons(document);
renderMathGradually(document.body);
