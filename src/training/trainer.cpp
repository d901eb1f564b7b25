#include "training/trainer.h"

namespace privaudit::training {

Model::~Model() = default;
Trainer::~Trainer() = default;

}  // namespace privaudit::training
