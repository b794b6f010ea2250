#include "core/codec/mimi/resample.h"

namespace echoforge::mimi {

CausalConv1d loadFrameRateDownsample(WeightSet& weights, int64_t dimension, int64_t stride) {
    ConvSpec spec;
    spec.inChannels = dimension;
    spec.outChannels = dimension;
    spec.kernelSize = 2 * stride;
    spec.stride = stride;
    spec.bias = false;
    spec.padding = ConvPadding::Replicate;   // resample.py: pad_mode="replicate"
    // downsample (ConvDownsample1d) .conv (StreamingConv1d) .conv (NormConv1d) .conv (nn.Conv1d)
    return CausalConv1d::load(weights, "downsample.conv.conv.conv", spec);
}

CausalConvTranspose1d loadFrameRateUpsample(WeightSet& weights, int64_t dimension, int64_t stride) {
    ConvSpec spec;
    spec.inChannels = dimension;
    spec.outChannels = dimension;
    spec.kernelSize = 2 * stride;
    spec.stride = stride;
    spec.groups = dimension;   // compression.py: upsample_channel_wise_bug=True makes it depthwise
    spec.bias = false;
    return CausalConvTranspose1d::load(weights, "upsample.convtr.convtr.convtr", spec);
}

} // namespace echoforge::mimi
