#include "core/generation/watermark_fft.h"

#include <cmath>
#include <numbers>
#include <utility>

#include "core/common/error.h"

namespace echoforge::watermark {

Fft::Fft(std::size_t size) : size_(size) {
    if (size < 2 || (size & (size - 1)) != 0)
        throw Error(QStringLiteral("The watermark FFT size %1 is not a power of two.").arg(qulonglong(size)));
    int bits = 0;
    while ((std::size_t(1) << bits) < size)
        ++bits;
    bitReversed_.resize(size);
    for (std::size_t i = 0; i < size; ++i) {
        std::size_t r = 0;
        for (int b = 0; b < bits; ++b)
            r |= ((i >> b) & 1u) << (bits - 1 - b);
        bitReversed_[i] = r;
    }
    twiddles_.resize(size / 2);
    for (std::size_t k = 0; k < size / 2; ++k)
        twiddles_[k] = std::polar(1.0, -2.0 * std::numbers::pi * double(k) / double(size));
}

void Fft::forward(std::vector<std::complex<double>>& data) const { transform(data, false); }

void Fft::inverseUnscaled(std::vector<std::complex<double>>& data) const { transform(data, true); }

void Fft::transform(std::vector<std::complex<double>>& data, bool inverse) const {
    if (data.size() != size_)
        throw Error(QStringLiteral("The watermark FFT of size %1 was given %2 values.")
                        .arg(qulonglong(size_)).arg(qulonglong(data.size())));
    for (std::size_t i = 0; i < size_; ++i)
        if (i < bitReversed_[i])
            std::swap(data[i], data[bitReversed_[i]]);
    // Iterative Cooley-Tukey: butterflies over spans of 2, 4, ... N.
    for (std::size_t span = 2; span <= size_; span *= 2) {
        const std::size_t half = span / 2;
        const std::size_t stride = size_ / span;
        for (std::size_t start = 0; start < size_; start += span) {
            for (std::size_t j = 0; j < half; ++j) {
                // The product written out: std::complex's operator* checks for NaN and infinity
                // (C99 Annex G) through a library call, which made it most of the detector's time.
                const double wr = twiddles_[j * stride].real();
                const double wi = inverse ? -twiddles_[j * stride].imag() : twiddles_[j * stride].imag();
                const double xr = data[start + j + half].real(), xi = data[start + j + half].imag();
                const std::complex<double> odd(wr * xr - wi * xi, wr * xi + wi * xr);
                data[start + j + half] = data[start + j] - odd;
                data[start + j] += odd;
            }
        }
    }
}

} // namespace echoforge::watermark
