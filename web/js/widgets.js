// Registers the experiment kinds of the chapters "Components" and "Implementation" (see
// WidgetKinds.java) and "Attention in a trained model" (ModelKinds.java) with the experiment
// controller; main.js imports this before starting them.

import { registerKind } from './experiment.js';
import { StepExperiment } from './step-matrix.js';
import { MasksExperiment } from './masks.js';
import { ImplementationsExperiment } from './compare-implementations.js';
import { SoftmaxExperiment } from './softmax.js';
import { ScaleSweepExperiment } from './scale-sweep.js';
import { DropoutExperiment } from './dropout.js';
import { CostSweepExperiment } from './cost-sweep.js';
import { HeadViewExperiment } from './head-view.js';
import { ModelViewExperiment } from './model-view.js';
import { HeadImportanceExperiment } from './head-importance.js';
import { SimilarityExperiment } from './similarity.js';

registerKind('step', StepExperiment);
registerKind('masks', MasksExperiment);
registerKind('implementations', ImplementationsExperiment);
registerKind('softmax', SoftmaxExperiment);
registerKind('scale-sweep', ScaleSweepExperiment);
registerKind('dropout', DropoutExperiment);
registerKind('cost-sweep', CostSweepExperiment);
registerKind('head-view', HeadViewExperiment);
registerKind('model-view', ModelViewExperiment);
registerKind('head-importance', HeadImportanceExperiment);
registerKind('similarity', SimilarityExperiment);
