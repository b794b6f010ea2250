#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/seed-*.

Seeds are small valid (and a few nearly valid) inputs from which libFuzzer mutates; they are
committed, so this script is only needed to change them. It uses the Python standard library and
libsndfile through ctypes (the library EchoForge itself reads audio with). Inputs of findings
go next to the seeds as regression-*; this script never touches those.
"""
import ctypes
import ctypes.util
import json
import math
import os
import struct

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))


def write(target, name, data):
    folder = os.path.join(ROOT, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def safetensors(header, data):
    h = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(h)) + h + data


def safetensors_seeds():
    data = bytes((i * 7 + 1) % 256 for i in range(51))
    header = {
        "__metadata__": {"format": "pt"},
        "a.weight": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        "b.scale": {"dtype": "BF16", "shape": [4], "data_offsets": [24, 32]},
        "c.ids": {"dtype": "I64", "shape": [2], "data_offsets": [32, 48]},
        "d.mask": {"dtype": "BOOL", "shape": [3], "data_offsets": [48, 51]},
        "e.empty": {"dtype": "F16", "shape": [0, 5], "data_offsets": [51, 51]},
    }
    write("fuzz_safetensors", "dtypes", safetensors(header, data))
    one = {"x": {"dtype": "I8", "shape": [4, 1], "data_offsets": [0, 4]}}
    write("fuzz_safetensors", "one", safetensors(one, b"\x01\x02\x03\x04"))
    write("fuzz_safetensors", "empty-table", safetensors({}, b""))
    scalar = {"s": {"dtype": "F64", "shape": [], "data_offsets": [0, 8]},
              "u": {"dtype": "U8", "shape": [2], "data_offsets": [8, 10]},
              "i": {"dtype": "I32", "shape": [1], "data_offsets": [10, 14]},
              "j": {"dtype": "I16", "shape": [1], "data_offsets": [14, 16]}}
    write("fuzz_safetensors", "scalar", safetensors(scalar, bytes(16)))


def config_seeds():
    golden = os.path.join(REPO, "tests", "data", "golden")
    for target, names in (("fuzz_csm_config", ["A/csm_config.json", "csm_real_config.json"]),
                          ("fuzz_mimi_config", ["A/mimi_config.json", "mimi_real_config.json"])):
        for n in names:
            with open(os.path.join(golden, n), "rb") as f:
                write(target, n.replace("/", "-"), f.read())
    published = {"backbone_flavor": "llama-1B", "decoder_flavor": "llama-100M", "text_vocab_size": 128256,
                 "audio_vocab_size": 2051, "audio_num_codebooks": 32}
    write("fuzz_csm_config", "published.json", json.dumps(published))


def bytes_to_unicode():
    """GPT-2's byte-level alphabet (the one tokenizer.json's vocabulary is written in)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


def tokenizer_seeds():
    alphabet = bytes_to_unicode()
    vocab = {alphabet[b]: b for b in range(256)}
    vocab.update({"ab": 256, "bc": 257, "aa": 258, "abc": 259, alphabet[ord(" ")] + "t": 260})
    split = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
    doc = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": 261, "content": "<|begin_of_text|>", "special": True},
                         {"id": 262, "content": "<|end_of_text|>", "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": split}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "byte_fallback": False,
                  "ignore_merges": False, "vocab": vocab, "merges": ["b c", "a b", "a a", alphabet[ord(" ")] + " t"]},
    }
    write("fuzz_tokenizer_json", "tiny-string-merges.json", json.dumps(doc, ensure_ascii=False))
    doc["model"]["merges"] = [m.split(" ") for m in doc["model"]["merges"]]
    doc["model"]["ignore_merges"] = True
    write("fuzz_tokenizer_json", "tiny-pair-merges.json", json.dumps(doc, ensure_ascii=False, indent=1))


def character_seeds():
    ada = {"schema": 1, "id": "ada", "name": "Ada", "gender": "female", "age_range": "30s", "language": "en-GB",
           "accent": "British (RP)", "styles": ["warm", "narrator"], "description": "A warm narrator.",
           "sample_text": "Every story begins with a single voice.",
           "csm": {"speaker_id": 3, "segments": [{"audio": "ref.wav", "transcript": "Hello there.", "speaker_id": 3}]},
           "espeak": {"voice": "en-gb-x-rp", "variant": "f2", "pitch": 55, "rate": 160}}
    write("fuzz_character_json", "full.json", json.dumps(ada, indent=2, ensure_ascii=False))
    minimal = {"schema": 1, "id": "ada", "name": "Ádá ✓", "gender": "neutral", "age_range": "", "sample_text": "Hi."}
    write("fuzz_character_json", "minimal.json", json.dumps(minimal, ensure_ascii=False))


def transformers_config_seeds():
    """transformers' CsmConfig config.json: the golden set's, a fine-tune's that names only what it
    changes (csm-1b defaults), rope_parameters (transformers 5) with linear scaling, Python's
    whole floats and a null num_key_value_heads."""
    golden = os.path.join(REPO, "tests", "data", "golden", "A-transformers", "config.json")
    with open(golden, "rb") as f:
        write("fuzz_csm_config_transformers", "A-transformers.json", f.read())
    write("fuzz_csm_config_transformers", "defaults.json", json.dumps({"model_type": "csm"}))
    v5 = {"model_type": "csm", "hidden_size": 64, "num_hidden_layers": 2.0, "num_attention_heads": 4,
          "num_key_value_heads": None, "intermediate_size": 128, "vocab_size": 67, "num_codebooks": 8,
          "text_vocab_size": 512, "rope_parameters": {"rope_type": "linear", "factor": 2.0, "rope_theta": 10000.0},
          "depth_decoder_config": {"hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                                   "num_key_value_heads": 1, "intermediate_size": 64, "vocab_size": 67,
                                   "num_codebooks": 8, "backbone_hidden_size": 64, "max_position_embeddings": 9,
                                   "rope_scaling": {"type": "default"}, "hidden_act": "silu", "mlp_bias": False}}
    write("fuzz_csm_config_transformers", "rope-parameters-linear.json", json.dumps(v5, indent=2))


def shard_index_seeds():
    """model.safetensors.index.json over the two shards the target writes beside it (tensors "a"
    and "b" in model-00001-of-00002.safetensors, "c" in model-00002-of-00002.safetensors)."""
    one, two = "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"
    full = {"metadata": {"total_size": 28}, "weight_map": {"a": one, "b": one, "c": two}}
    write("fuzz_shard_index", "two-shards.json", json.dumps(full, indent=2))
    write("fuzz_shard_index", "one-shard.json", json.dumps({"weight_map": {"a": one}}))
    write("fuzz_shard_index", "missing-shard.json", json.dumps({"weight_map": {"a": "model-00003-of-00003.safetensors"}}))


def backup_seeds():
    """Backups as writeBackupArchive makes them (a pax tar, gzip-compressed, the manifest last):
    the settings and two data files; the same uncompressed (the reader takes plain tar too); and
    one whose file does not match its checksum."""
    import hashlib
    import io
    import tarfile

    def archive(files, compression="gz", damage=None):
        manifest = {"format": "echoforge-backup", "version": 1, "appVersion": "0.1.0",
                    "created": "2026-12-03T17:20:00Z",
                    "files": [{"path": p, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()} for p, b in files]}
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:" + compression, format=tarfile.PAX_FORMAT) as tar:
            entries = files + [("manifest.json", json.dumps(manifest, indent=4).encode())]
            for path, data in entries:
                if damage == path:
                    data = data[:-1] + b"?"
                info = tarfile.TarInfo(path)
                info.size, info.mode, info.mtime = len(data), 0o600, 1796318400
                tar.addfile(info, io.BytesIO(data))
        return out.getvalue()

    files = [("config/settings.ini", b"[General]\nlanguage=en\n"),
             ("data/characters/ada/character.json", b'{"schema": 1, "id": "ada", "name": "Ada"}\n'),
             ("data/history/takes/0001.txt", b"Every story begins with a single voice.\n")]
    write("fuzz_backup_archive", "three-files.tar.gz", archive(files))
    write("fuzz_backup_archive", "plain.tar", archive(files[:2], compression=""))
    write("fuzz_backup_archive", "checksum-mismatch.tar.gz", archive(files[1:], damage=files[1][0]))

    # The target's entries form ("EFB1\n", then "path\ncontent" records joined by "\n\x1e"), which
    # it packs into a well-formed tar itself.
    def entries(files):
        manifest = {"format": "echoforge-backup", "version": 1, "appVersion": "0.1.0",
                    "created": "2026-12-03T17:20:00Z",
                    "files": [{"path": p, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()} for p, b in files]}
        records = [p.encode() + b"\n" + b for p, b in files] + [b"manifest.json\n" + json.dumps(manifest).encode()]
        return b"EFB1\n" + b"\n\x1e".join(records)

    write("fuzz_backup_archive", "entries-three-files", entries(files))
    write("fuzz_backup_archive", "entries-nested", entries([("data/voices/a/b/c/anchor.json", b"{}"),
                                                            ("data/history/history.sqlite", b"SQLite format 3\0" + bytes(48))]))


def api_request_seeds():
    """Requests as a client sends them to echoforge-server (HTTP/1.1 text: request line, headers,
    blank line, body): each route whose input the API checks itself."""
    def request(line, headers, body=b""):
        head = line + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        return head.encode() + body

    common = {"Host": "127.0.0.1:8765", "Authorization": "Bearer secret-token"}
    generate = {"text": "Every story begins with a single voice.", "voice": "ada", "temperature": 0.8, "top_k": 40,
                "seed": "18446744073709551615", "max_seconds": 12.5, "format": "flac", "priority": "interactive",
                "engine": "csm"}
    write("fuzz_api_request", "generate.http", request(
        "POST /api/generate HTTP/1.1", {**common, "Content-Type": "application/json; charset=utf-8"},
        json.dumps(generate).encode()))
    script = {"script": "[Ada] Hello.\n[Ben] Hi, Ada.", "seed": 42, "engine": "auto"}
    write("fuzz_api_request", "generate-script.http", request(
        "POST /api/generate HTTP/1.1", {**common, "Content-Type": "application/json"}, json.dumps(script).encode()))
    speech = {"model": "csm-1b", "input": "Hello there.", "voice": "ada", "response_format": "pcm", "speed": 1.25}
    write("fuzz_api_request", "speech.http", request(
        "POST /v1/audio/speech HTTP/1.1", {**common, "Content-Type": "application/json"}, json.dumps(speech).encode()))
    boundary = "----echoforge7MA4YWxkTrZu0gW"
    wav = bytes.fromhex("52494646") + struct.pack("<I", 36 + 8) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 24000, 48000, 2, 16) + \
        b"data" + struct.pack("<I", 8) + struct.pack("<4h", 0, 1000, -1000, 0)
    parts = [("audio", "clip.wav", "audio/wav", wav), ("name", None, None, b"Ada"),
             ("transcript", None, None, b"Hello there."), ("styles", None, None, b"warm,narrator")]
    body = b""
    for name, filename, ctype, data in parts:
        body += f"--{boundary}\r\n".encode()
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"Content-Disposition: {disposition}\r\n".encode()
        if ctype:
            body += f"Content-Type: {ctype}\r\n".encode()
        body += b"\r\n" + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    write("fuzz_api_request", "clone.http", request(
        "POST /api/voices HTTP/1.1", {**common, "Content-Type": f"multipart/form-data; boundary={boundary}"}, body))
    write("fuzz_api_request", "task-audio-range.http", request(
        "GET /api/tasks/17/audio?format=wav HTTP/1.1", {**common, "Range": "bytes=100-"}))
    write("fuzz_api_request", "voices-page.http", request(
        "GET /api/voices/ada?offset=10&limit=20 HTTP/1.1", {"Host": "[::1]:8765", "Authorization": "bearer  tok", "Range": "bytes=-500"}))


class SfInfo(ctypes.Structure):
    _fields_ = [("frames", ctypes.c_int64), ("samplerate", ctypes.c_int), ("channels", ctypes.c_int),
                ("format", ctypes.c_int), ("sections", ctypes.c_int), ("seekable", ctypes.c_int)]


def audio_seeds():
    sf = ctypes.CDLL(ctypes.util.find_library("sndfile") or "libsndfile.so.1")
    sf.sf_open.restype = ctypes.c_void_p
    sf.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(SfInfo)]
    sf.sf_writef_float.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int64]
    sf.sf_close.argtypes = [ctypes.c_void_p]
    SFM_WRITE = 0x20
    formats = {  # name: (major | subtype, rate, channels, frames)
        "pcm16.wav": (0x010000 | 0x0002, 16000, 1, 800),
        "float-stereo.wav": (0x010000 | 0x0006, 24000, 2, 600),
        "ulaw.wav": (0x010000 | 0x0010, 8000, 1, 400),
        "pcm24.flac": (0x170000 | 0x0003, 44100, 1, 1000),
        "vorbis.ogg": (0x200000 | 0x0060, 22050, 1, 2205),
        "pcm16.aiff": (0x020000 | 0x0002, 11025, 2, 300),
        "layer3.mp3": (0x230000 | 0x0082, 24000, 1, 2400),
    }
    tmp = os.path.join(ROOT, ".seed.tmp")
    for name, (fmt, rate, channels, frames) in formats.items():
        info = SfInfo(0, rate, channels, fmt, 0, 0)
        handle = sf.sf_open(tmp.encode(), SFM_WRITE, ctypes.byref(info))
        if not handle:
            raise SystemExit(f"libsndfile cannot write {name}")
        pcm = (ctypes.c_float * (frames * channels))(
            *[0.5 * math.sin(2 * math.pi * 440 * (i // channels) / rate) for i in range(frames * channels)])
        sf.sf_writef_float(handle, pcm, frames)
        sf.sf_close(handle)
        with open(tmp, "rb") as f:
            write("fuzz_audio_import", name, f.read())
        os.remove(tmp)


if __name__ == "__main__":
    safetensors_seeds()
    config_seeds()
    tokenizer_seeds()
    character_seeds()
    audio_seeds()
    transformers_config_seeds()
    shard_index_seeds()
    backup_seeds()
    api_request_seeds()
