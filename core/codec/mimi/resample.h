#pragma once
// The learnt resampling between the encoder frame rate (25 Hz) and the code frame rate
// (12.5 Hz): moshi modules/resample.py ConvDownsample1d and ConvTrUpsample1d, as MimiModel
// builds them (resample_method "conv", learnt, upsample channel-wise).

#include <torch/torch.h>

#include "core/codec/mimi/conv.h"

namespace echoforge {
class WeightSet;
}

namespace echoforge::mimi {

// Conv1d(d → d, kernel 2·stride, stride), no bias, whose past before the first step repeats
// that step (pad_mode "replicate"). Binds `downsample.conv.conv.conv.weight` [d, d, 2·stride].
CausalConv1d loadFrameRateDownsample(WeightSet& weights, int64_t dimension, int64_t stride);

// Depthwise ConvTranspose1d(d → d, kernel 2·stride, stride, groups d), no bias.
// Binds `upsample.convtr.convtr.convtr.weight` [d, 1, 2·stride].
CausalConvTranspose1d loadFrameRateUpsample(WeightSet& weights, int64_t dimension, int64_t stride);

} // namespace echoforge::mimi
