// The page's widgets, started by main.js once the libraries are loaded: keeps shared links and
// export toolbars in step with the results, starts the exercises, the experiments (their requests
// go out first, so the server computes while the math renders), the playground and the heads
// comparisons, then has math.js render any formula the server sent as TeX.

import { renderPageMath } from './math.js';
import { startExperiments } from './experiment.js';
import { startExercises } from './exercise.js';
import { attachExports } from './export.js';
import { startHeadsComparisons } from './heads-compare.js';
import { startPlayground } from './playground.js';
import { initialParams, trackSharedState } from './share.js';
import { nextTask } from './tasks.js';
import './widgets.js';
import './variants.js';

trackSharedState(document);
attachExports(document);
startExercises(document);
// Each starter in a task of its own after the modules' own task.
await nextTask();
startExperiments(document, { initialParams });
await nextTask();
startPlayground(document);
startHeadsComparisons(document);
await nextTask();
renderPageMath(document.body);
